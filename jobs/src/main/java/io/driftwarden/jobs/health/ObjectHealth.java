package io.driftwarden.jobs.health;

import io.driftwarden.jobs.resource.ResourceKey;

/** The health of one object of a binding, as its last read found it. Output prints {@code Kind/namespace/name  State  reason: message}. */
public record ObjectHealth(ResourceKey key, Health health) {

    public HealthState state() {
        return health.state();
    }
}
