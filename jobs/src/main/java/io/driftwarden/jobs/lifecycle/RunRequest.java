package io.driftwarden.jobs.lifecycle;

import io.driftwarden.config.Mode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one run is asked to do: which bindings (empty = all), in which mode (null = each binding's own), why, whether
 * closed sync windows are ignored ({@code run --ignore-windows}; audited), which run it restarts (null: none), and how
 * long every binding waits for the health of what it wrote ({@code run --wait}; null: each binding's own {@code health.wait}),
 * and when the run was asked for ({@code requestedAt}: the push or the cron time that started a daemon's run; null: now) —
 * a fetch of the same source that started at or after it already holds what the run must read
 * ({@link io.driftwarden.jobs.source.SourceReader#fetchedSince}).
 */
public record RunRequest(List<String> bindings, Mode mode, String trigger, boolean ignoreWindows, String restartOf,
                         Duration healthWait, Instant requestedAt) {

    public RunRequest(List<String> bindings, Mode mode, String trigger, boolean ignoreWindows, String restartOf,
                      Duration healthWait) {
        this(bindings, mode, trigger, ignoreWindows, restartOf, healthWait, null);
    }

    public RunRequest(List<String> bindings, Mode mode, String trigger, boolean ignoreWindows, String restartOf) {
        this(bindings, mode, trigger, ignoreWindows, restartOf, null);
    }

    public RunRequest(List<String> bindings, Mode mode, String trigger, boolean ignoreWindows) {
        this(bindings, mode, trigger, ignoreWindows, null);
    }

    public RunRequest(List<String> bindings, Mode mode, String trigger) {
        this(bindings, mode, trigger, false);
    }
}
