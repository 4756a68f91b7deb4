/**
 * The life of a run, the same for {@code run}, {@code plan}, the daemon's firings, the demo and {@code run
 * --restart}: {@link io.driftwarden.jobs.lifecycle.Runs} takes a {@link io.driftwarden.jobs.lifecycle.RunRequest},
 * picks the bindings and their modes (a closed sync window, asked through {@link
 * io.driftwarden.jobs.lifecycle.SyncWindowPolicy}, turns enforce into audit and leaves a WINDOW row), runs the
 * {@code reconcile} job (its runner from {@link io.driftwarden.jobs.lifecycle.JobRunners}), and ends every run the same
 * way: its closing {@code audit_run} row, the signed checkpoint, a {@link io.driftwarden.jobs.lifecycle.RunOutcome}
 * with its {@link io.driftwarden.jobs.lifecycle.ExitCodes exit code}.
 * Beside the audit trail each run holds a lease row it renews while it runs ({@link
 * io.driftwarden.jobs.lifecycle.RunLease}); a run whose heartbeat went stale died, and the next run or {@code run
 * --restart} marks it abandoned ({@link io.driftwarden.jobs.lifecycle.RunLifecycle}), after which its open intents
 * are recovered and its unfinished bindings can run again under a restart id no other run has. A binding is
 * reconciled by one run at a time, whatever process runs it ({@link io.driftwarden.jobs.lifecycle.BindingLeases}), and
 * a run asked to stop starts nothing new ({@link io.driftwarden.jobs.lifecycle.RunStop}).
 */
package io.driftwarden.jobs.lifecycle;
