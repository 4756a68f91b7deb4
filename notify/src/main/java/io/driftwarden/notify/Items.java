package io.driftwarden.notify;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.config.NotificationTarget.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Folds a run's audit rows into one {@link Item} per object (or per binding, for rows about a whole binding), in the
 * order each first appears. What counts as which event:
 * <ul>
 *   <li>{@code drift}: a DETECTED, INTENT or REFUSED row with a drift type — drift found, whatever was then done;</li>
 *   <li>{@code corrected}: a CORRECTED row; {@code prune}: a CORRECTED or FAILED row whose action is DELETED;</li>
 *   <li>{@code failed}: a FAILED row (a correction, or a whole binding); {@code refused}: a REFUSED row;</li>
 *   <li>{@code health}: a health state of {@code Failed} (a HEALTH row, or health columns on another row).</li>
 * </ul>
 * Who changed each path comes from the rows' {@code changed_by} detail, else from what their masked diff says
 * ({@code (added by MANAGER)} on a hand-added path). An EXCEPTED row names its exception and adds no event: such items travel with a digest, never start one. Rows the
 * digest does not tell (UNMANAGED, WINDOW, SKIPPED, FORCE_PUSH, NOTIFY_FAILED, ...) are left out, and an item with
 * neither an event nor an exception (an object whose health is Current, say) is dropped.
 */
public final class Items {

    private Items() {
    }

    /** The items of these rows (one run's, oldest first). */
    public static List<Item> of(List<AuditRecord> rows) {
        Map<String, Builder> items = new LinkedHashMap<>();
        for (AuditRecord row : rows) {
            AuditEntry e = row.entry();
            if (!TOLD.contains(e.event())) {
                continue;
            }
            items.computeIfAbsent(e.binding() + "\u0000" + e.subject(), key -> new Builder(row)).add(row);
        }
        List<Item> result = new ArrayList<>();
        for (Builder builder : items.values()) {
            Item item = builder.build();
            if (!item.events().isEmpty() || item.exception() != null) {
                result.add(item);
            }
        }
        return result;
    }

    private static final Set<EventType> TOLD = EnumSet.of(EventType.DETECTED, EventType.INTENT, EventType.CORRECTED, EventType.FAILED,
            EventType.REFUSED, EventType.HEALTH, EventType.EXCEPTED);

    /** The events one row counts as. */
    static Set<Event> eventsOf(AuditEntry e) {
        Set<Event> events = EnumSet.noneOf(Event.class);
        switch (e.event()) {
            case DETECTED, INTENT -> events.add(Event.DRIFT);
            case CORRECTED -> events.add(Event.CORRECTED);
            case FAILED -> events.add(Event.FAILED);
            case REFUSED -> events.add(Event.REFUSED);
            default -> {
            }
        }
        if (e.event() == EventType.REFUSED && e.driftType() != null) {
            events.add(Event.DRIFT);
        }
        if ((e.event() == EventType.CORRECTED || e.event() == EventType.FAILED) && "DELETED".equals(e.action())) {
            events.add(Event.PRUNE);
        }
        if ("failed".equals(lower(e.details().healthState()))) {
            events.add(Event.HEALTH);
        }
        return events;
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    /** Gathers one item's rows. */
    private static final class Builder {
        private final AuditEntry first;
        private final Set<Event> events = EnumSet.noneOf(Event.class);
        private String outcome;
        private String action;
        private String driftType;
        private List<String> paths = List.of();
        private String changedBy;
        private String maskedDiff;
        private String message;
        private String healthState;
        private String healthMessage;
        private String exception;
        private String sourceUrl;
        private String commit;
        private Instant time;
        private long seq;

        Builder(AuditRecord row) {
            this.first = row.entry();
        }

        void add(AuditRecord row) {
            AuditEntry e = row.entry();
            events.addAll(eventsOf(e));
            if (e.event() != EventType.HEALTH || outcome == null) {
                outcome = e.event().name();
                action = e.action() == null ? action : e.action();
                message = e.error() == null ? message : e.error();
            }
            driftType = e.driftType() == null ? driftType : e.driftType();
            if (e.changedPaths() != null && !e.changedPaths().isBlank()) {
                paths = List.of(e.changedPaths().split("\n"));
            }
            maskedDiff = e.maskedDiff() == null ? maskedDiff : e.maskedDiff();
            AuditEntry.Details d = e.details();
            changedBy = d.changedBy() == null ? changedBy : d.changedBy();
            if (d.healthState() != null) {
                healthState = d.healthState();
                healthMessage = d.healthMessage();
            }
            exception = d.exceptionName() == null ? exception : d.exceptionName();
            sourceUrl = e.sourceUrl() == null ? sourceUrl : e.sourceUrl();
            commit = e.commit() == null ? commit : e.commit();
            time = row.time();
            seq = row.seq();
        }

        Item build() {
            return new Item(first.binding(), first.cluster(), first.namespace(), first.subject(), events, outcome, action, driftType,
                    paths, changedBy != null ? PathChange.parse(changedBy) : PathChange.fromDiff(maskedDiff, paths), message, healthState, healthMessage, exception, sourceUrl, commit, time, seq);
        }
    }
}
