package io.driftwarden.config;

import java.time.Duration;

/**
 * How a binding checks the health of what it manages after its writes ({@code health:} in a binding): {@code wait}
 * is how long to poll for the objects to settle (null: read once, never wait), {@code scope} which objects are
 * assessed.
 */
public record HealthSettings(Duration timeout, Scope scope) {

    /** Read once, the objects the binding wrote this run. */
    public static final HealthSettings DEFAULTS = new HealthSettings(null, Scope.WRITTEN);

    /** Which objects a binding's health covers. */
    public enum Scope {
        /** The objects the binding wrote (created, configured, replaced) this run. */
        WRITTEN,
        /** Every object the binding manages (all it rendered), written this run or not. */
        ALL
    }

    public HealthSettings {
        scope = scope == null ? Scope.WRITTEN : scope;
    }

    /** The same settings with {@code override} as the wait (the {@code run --wait} flag); null keeps this wait. */
    public HealthSettings withWait(Duration override) {
        return override == null ? this : new HealthSettings(override, scope);
    }
}
