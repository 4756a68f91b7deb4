/**
 * {@code driftwarden schedule}: the Quartz daemon (per-binding crons, clustered JDBC job store, misfires, pushes),
 * sync windows, the webhook / metrics / probe endpoints, and config reloads.
 */
package io.driftwarden.cron.schedule;
