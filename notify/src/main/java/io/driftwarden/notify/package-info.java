/**
 * After a run: telling people what it did. {@link io.driftwarden.notify.Notifier} reads the run's own audit rows (already
 * masked: nothing is read from a cluster or from Git here), folds them into one {@link io.driftwarden.notify.Item} per
 * object or binding ({@link io.driftwarden.notify.Items}), picks for each {@code notifications:} target what it asked for
 * ({@link io.driftwarden.notify.Digests}: one digest per run, or one message per item), renders each message for its
 * service ({@code message}) and delivers the targets at once, each within its own time bound ({@code delivery}). A
 * delivery that fails is an audit row ({@code NOTIFY_FAILED}, target name and status, never the address); it never
 * changes the run's exit code.
 */
package io.driftwarden.notify;
