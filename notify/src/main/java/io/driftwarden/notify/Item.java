package io.driftwarden.notify;

import io.driftwarden.config.NotificationTarget.Event;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a run did to one object (or, with an empty {@code subject}, to a binding as a whole), folded from its audit rows:
 * the events it counts as, what was done ({@code outcome}: the last of DETECTED, CORRECTED, FAILED, REFUSED, EXCEPTED,
 * HEALTH its rows tell, with the row's {@code action}), the drifted paths and who changed them, the row's own text
 * ({@code message}: an error, a refusal's reason), the health after, the exception that covered it, and the commit.
 * Everything comes from rows that are already masked.
 */
public record Item(String binding, String cluster, String namespace, String subject, Set<Event> events, String outcome, String action,
        String driftType, List<String> paths, List<PathChange> changedBy, String message, String healthState, String healthMessage,
        String exception, String sourceUrl, String commit, Instant time, long seq) {

    public Item {
        events = Set.copyOf(events);
        paths = List.copyOf(paths);
        changedBy = List.copyOf(changedBy);
    }

    /** The object ({@code Kind/namespace/name}) or {@code binding NAME} for a row about the whole binding. */
    public String what() {
        return subject == null || subject.isEmpty() ? "binding " + binding : subject;
    }

    /** What was done, in words: {@code corrected (CONFIGURED)}, {@code pruned (DELETED)}, {@code failed}, {@code left in place}. */
    public String done() {
        return switch (outcome) {
            case "CORRECTED" -> "DELETED".equals(action) ? "pruned (deleted: it left Git)" : "corrected (" + lower(action) + ")";
            case "FAILED" -> subject == null || subject.isEmpty() ? "binding failed" : "correction failed (" + lower(action) + ")";
            case "REFUSED" -> subject == null || subject.isEmpty() ? "commit refused, nothing applied" : "write refused";
            case "DETECTED" -> "drift left in place";
            case "INTENT" -> "correction started, no outcome recorded";
            case "EXCEPTED" -> "left in place: covered by exception " + exception;
            case "HEALTH" -> "health " + healthState;
            default -> lower(outcome);
        };
    }

    /** The most serious event, for a one-event message's type: failed, refused, health, then prune, corrected, drift. */
    public Event primary() {
        for (Event event : List.of(Event.FAILED, Event.REFUSED, Event.HEALTH, Event.PRUNE, Event.CORRECTED, Event.DRIFT)) {
            if (events.contains(event)) {
                return event;
            }
        }
        return Event.DRIFT;
    }

    /** Each drifted path with who changed it where known; the paths of {@code changed_by} when the row lists none. */
    public List<PathChange> pathChanges() {
        if (paths.isEmpty()) {
            return changedBy;
        }
        return paths.stream().map(path -> changedBy.stream().filter(c -> c.path().equals(path)).findFirst()
                .orElse(new PathChange(path, null, null))).toList();
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(java.util.Locale.ROOT);
    }
}
