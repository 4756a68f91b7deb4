/**
 * The vocabulary the pipeline stages share: {@link io.driftwarden.jobs.resource.ResourceKey} names an object,
 * {@link io.driftwarden.jobs.resource.DesiredObject} is what Git asks for (with its {@code file:line}). Which kinds
 * are cluster-scoped is data, not a list here: {@link io.driftwarden.kube.KindScopes}.
 */
package io.driftwarden.jobs.resource;
