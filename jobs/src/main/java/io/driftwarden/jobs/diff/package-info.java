/**
 * What counts as drift. The {@link io.driftwarden.jobs.diff.Differ} compares every field Git sets with the live
 * object after normalization — server-owned metadata and {@code status} never count; quantities, int-or-string,
 * and null/empty/absent/zero values are compared by meaning; lists with a merge key (containers, env, ports,
 * volumes…) are matched by key, not position — so fields a server or controller adds live are not drift.
 * Secret values are masked before a diff leaves this package.
 */
package io.driftwarden.jobs.diff;
