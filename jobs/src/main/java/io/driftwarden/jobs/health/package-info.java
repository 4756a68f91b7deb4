/**
 * Health of what a binding wrote: whether the cluster made it real. {@link io.driftwarden.jobs.health.HealthRules} is a
 * pure function from a live object to a {@link io.driftwarden.jobs.health.Health} — kstatus's rules
 * (sigs.k8s.io/cli-utils {@code pkg/kstatus/status}: {@code generic.go} first, then the per-kind rules of
 * {@code core.go}), one small class per kind as gitops-engine's {@code pkg/health/health_*.go} keeps them, with the four
 * states of kstatus in gitops-engine's {@code healthOrder}. {@link io.driftwarden.jobs.health.HealthWatch} reads the
 * objects with the binding's own LISTs (never a GET per object), once or until they settle within the binding's wait.
 */
package io.driftwarden.jobs.health;
