/**
 * The reconcile pipeline as plain Java: {@link io.driftwarden.jobs.Reconciler} takes one binding through
 * source → render → live → diff → apply and returns a {@link io.driftwarden.jobs.BindingResult}. A failing binding
 * becomes a failed result (and an audit row); it never stops the others. The Spring Batch job in {@code batch}
 * runs one reconcile per binding.
 */
package io.driftwarden.jobs;
