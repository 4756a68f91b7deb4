package io.driftwarden.jobs.apply;

import io.driftwarden.jobs.resource.ResourceKey;

/** The outcome for one object; {@code detail} is free of Secret values. */
public record Change(ResourceKey key, Action action, String detail) {
}
