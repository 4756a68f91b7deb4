package io.driftwarden.jobs.lifecycle;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import java.time.Instant;

/**
 * Whether a binding may correct drift at a moment, by the config's sync windows: the reason it may not, or null. The
 * windows' schedules are cron expressions of the scheduler that runs them, so the scheduler's side implements this
 * (cron/'s {@code SyncWindows}, with Quartz); the run lifecycle only asks.
 */
@FunctionalInterface
public interface SyncWindowPolicy {

    /** Why {@code binding} of {@code config} may not correct at {@code now}, or null when it may. */
    String closed(DriftwardenConfig config, BindingSpec binding, Instant now);

    /** No window ever closes: every binding may correct at any time. */
    static SyncWindowPolicy alwaysOpen() {
        return (config, binding, now) -> null;
    }
}
