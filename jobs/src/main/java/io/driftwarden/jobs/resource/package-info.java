/**
 * The vocabulary the pipeline stages share: {@link io.driftwarden.jobs.resource.ResourceKey} names an object,
 * {@link io.driftwarden.jobs.resource.DesiredObject} is what Git asks for (with its {@code file:line}), and
 * {@link io.driftwarden.jobs.resource.KindScope} says which built-in kinds are cluster-scoped without asking the
 * API server for discovery.
 */
package io.driftwarden.jobs.resource;
