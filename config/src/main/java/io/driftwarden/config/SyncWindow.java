package io.driftwarden.config;

import java.time.Duration;
import java.util.List;

/**
 * A sync window, as Argo CD's: from each time {@code schedule} fires (a cron in {@code timeZone}) for
 * {@code duration}. It applies to a binding whose name matches one of {@code bindings} (globs: {@code *}, {@code ?})
 * or whose cluster is one of {@code clusters}. In a {@code deny} window, and outside every {@code allow} window when
 * a binding has any, a run only detects drift. {@code origin} is its {@code file:line}.
 */
public record SyncWindow(Kind kind, Schedule schedule, Duration duration, List<String> bindings, List<String> clusters, String origin) {

    public enum Kind { ALLOW, DENY }

    public SyncWindow {
        bindings = List.copyOf(bindings);
        clusters = List.copyOf(clusters);
    }

    /** Whether this window applies to {@code binding}. */
    public boolean appliesTo(BindingSpec binding) {
        return clusters.contains(binding.cluster()) || bindings.stream().anyMatch(glob -> Glob.of(glob).matches(binding.name()));
    }

    /** How the window reads in a row or a log line: {@code deny window 0 0 22 ? * MON-FRI for 8h (Europe/Berlin)}. */
    public String describe() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " window '" + schedule.cron() + "' for "
                + duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT) + " ("
                + schedule.timeZone() + ", " + origin + ")";
    }
}
