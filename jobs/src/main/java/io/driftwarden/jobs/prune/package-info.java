/**
 * What a binding is responsible for beyond what Git declares now: objects it applied that left Git ({@link Extras},
 * drift of type {@code EXTRA}), the guards that decide which of them may be deleted ({@link PruneGuards}), and objects
 * in its namespaces that no binding manages ({@link Unmanaged}). Deleting is the applier's; this package only decides.
 */
package io.driftwarden.jobs.prune;
