package io.driftwarden.jobs.lifecycle;

import io.driftwarden.config.Mode;
import java.util.List;

/**
 * What one run is asked to do: which bindings (empty = all), in which mode (null = each binding's own), why, whether
 * closed sync windows are ignored ({@code run --ignore-windows}; audited), and which run it restarts (null: none).
 */
public record RunRequest(List<String> bindings, Mode mode, String trigger, boolean ignoreWindows, String restartOf) {

    public RunRequest(List<String> bindings, Mode mode, String trigger, boolean ignoreWindows) {
        this(bindings, mode, trigger, ignoreWindows, null);
    }

    public RunRequest(List<String> bindings, Mode mode, String trigger) {
        this(bindings, mode, trigger, false);
    }
}
