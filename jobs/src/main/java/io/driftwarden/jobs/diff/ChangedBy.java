package io.driftwarden.jobs.diff;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Who last changed a drifted path and when, from the live object's {@code managedFields}: the entry that owns the path
 * (or its nearest owned ancestor) and that entry's {@code time}. Either may be unknown: a server that keeps no
 * {@code managedFields}, an entry without a time.
 */
public record ChangedBy(String manager, Instant time) {

    /** Nothing recorded. */
    public static final ChangedBy UNKNOWN = new ChangedBy(null, null);

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    /** {@code kubectl-edit at 2026-12-03T02:14Z} (minute precision, UTC), {@code kubectl-edit at an unknown time}, or {@code unknown}. */
    public String text() {
        if (manager == null) {
            return "unknown";
        }
        return manager + " at " + (time == null ? "an unknown time" : MINUTE.format(time));
    }

    /** One line of the rows' {@code changed_by}: {@code path<TAB>manager<TAB>time}, time an ISO-8601 UTC instant or {@code unknown}. */
    public String row(String path) {
        return path + "\t" + (manager == null ? "unknown" : manager) + "\t" + (time == null ? "unknown" : time.toString());
    }
}
