/**
 * The life of a run beside the audit trail: each run holds a lease row it renews while it runs ({@link
 * io.driftwarden.jobs.lifecycle.RunLease}); a run whose heartbeat went stale died, and the next run or {@code run
 * --restart} marks it abandoned ({@link io.driftwarden.jobs.lifecycle.RunLifecycle}), after which its open intents
 * are recovered and its unfinished bindings can run again under a restart id no other run has. A binding is
 * reconciled by one run at a time, whatever process runs it ({@link io.driftwarden.jobs.lifecycle.BindingLeases}), and
 * a run asked to stop starts nothing new ({@link io.driftwarden.jobs.lifecycle.RunStop}).
 */
package io.driftwarden.jobs.lifecycle;
