package io.driftwarden.jobs.lifecycle;

import io.driftwarden.config.Mode;
import java.time.Duration;
import java.util.List;

/**
 * What one run is asked to do: which bindings (empty = all), in which mode (null = each binding's own), why, whether
 * closed sync windows are ignored ({@code run --ignore-windows}; audited), which run it restarts (null: none), and how
 * long every binding waits for the health of what it wrote ({@code run --wait}; null: each binding's own {@code health.wait}).
 */
public record RunRequest(List<String> bindings, Mode mode, String trigger, boolean ignoreWindows, String restartOf,
                         Duration healthWait) {

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
