package io.driftwarden.cron.cli;

import io.driftwarden.config.Mode;
import java.util.List;

/**
 * What one run is asked to do: which bindings (empty = all), in which mode (null = each binding's own), why, and
 * whether closed sync windows are ignored ({@code run --ignore-windows}; audited).
 */
public record RunRequest(List<String> bindings, Mode mode, String trigger, boolean ignoreWindows) {

    public RunRequest(List<String> bindings, Mode mode, String trigger) {
        this(bindings, mode, trigger, false);
    }
}
