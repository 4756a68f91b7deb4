package io.driftwarden.cron.cli;

import io.driftwarden.config.Mode;
import java.util.List;

/** What one run is asked to do: which bindings (empty = all), in which mode (null = each binding's own), why. */
public record RunRequest(List<String> bindings, Mode mode, String trigger) {
}
