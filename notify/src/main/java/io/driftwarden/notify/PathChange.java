package io.driftwarden.notify;

import java.util.ArrayList;
import java.util.List;

/**
 * Who last changed a drifted path and when, as the run read it from {@code managedFields}: one line of an audit row's
 * {@code changed_by} detail ({@code path<TAB>manager<TAB>time}). {@code manager} and {@code time} may be null where the
 * server kept none.
 */
public record PathChange(String path, String manager, String time) {

    /** The lines of a {@code changed_by} detail; lines that are not three tab-separated fields keep their path only. */
    public static List<PathChange> parse(String changedBy) {
        List<PathChange> changes = new ArrayList<>();
        if (changedBy == null || changedBy.isBlank()) {
            return changes;
        }
        for (String line : changedBy.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            changes.add(new PathChange(fields[0].strip(), fields.length > 1 ? blankToNull(fields[1]) : null,
                    fields.length > 2 ? blankToNull(fields[2]) : null));
        }
        return changes;
    }

    /**
     * What the row's own text says when it has no {@code changed_by}: a masked diff line
     * {@code ~ path: value -> absent (added by MANAGER)} names the manager that added a live-only path (no time).
     */
    public static List<PathChange> fromDiff(String maskedDiff, List<String> paths) {
        List<PathChange> changes = new ArrayList<>();
        if (maskedDiff == null) {
            return changes;
        }
        for (String path : paths) {
            for (String line : maskedDiff.split("\n")) {
                int by = line.lastIndexOf("(added by ");
                if (line.length() > 2 && line.startsWith(path + ":", 2) && by > 0 && line.endsWith(")")) {
                    changes.add(new PathChange(path, line.substring(by + "(added by ".length(), line.length() - 1), null));
                    break;
                }
            }
        }
        return changes;
    }

    private static String blankToNull(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() || stripped.equals("unknown") ? null : stripped;
    }

    /** {@code /spec/replicas (kubectl-edit, 2026-12-03T01:02:03Z)}, or the path alone when nobody is known. */
    public String describe() {
        if (manager == null && time == null) {
            return path;
        }
        return path + " (" + (manager == null ? "unknown manager" : manager) + (time == null ? "" : ", " + time) + ")";
    }
}
