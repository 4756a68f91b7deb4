package io.driftwarden.notify;

import io.driftwarden.config.NotificationTarget;
import io.driftwarden.config.NotificationTarget.Event;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one message to one target says: the run, the items the target selected ({@code items}, never empty), and the
 * items of the same bindings that an approved exception covered ({@code excepted}, only in a run digest). {@code id}
 * is unique per run, target and message.
 */
public record Digest(NotificationTarget target, String runId, String trigger, NotificationTarget.Digest kind, List<Item> items,
        List<Item> excepted, Instant time) {

    public Digest {
        items = List.copyOf(items);
        excepted = List.copyOf(excepted);
    }

    /** {@code RUN/TARGET} for a run digest, {@code RUN/TARGET/SEQ} for one item's message. */
    public String id() {
        return runId + "/" + target.name() + (kind == NotificationTarget.Digest.EVENT ? "/" + items.get(0).seq() : "");
    }

    /** How many items count as each event, in the events' order (an item may count as several). */
    public Map<Event, Long> counts() {
        Map<Event, Long> counts = new EnumMap<>(Event.class);
        for (Item item : items) {
            item.events().forEach(event -> counts.merge(event, 1L, Long::sum));
        }
        return counts;
    }

    /** The bindings the items belong to, in order. */
    public List<String> bindings() {
        return items.stream().map(Item::binding).distinct().toList();
    }

    /**
     * The one-line summary: {@code driftwarden run R (manual): 2 drift, 1 corrected, 1 failed in shop, web} or, for an
     * item's message, {@code driftwarden: Deployment/shop/web corrected (configured) in shop}.
     */
    public String title() {
        if (kind == NotificationTarget.Digest.EVENT) {
            Item item = items.get(0);
            return "driftwarden: " + item.what() + " " + item.done() + " in binding " + item.binding();
        }
        StringBuilder text = new StringBuilder("driftwarden run " + runId + " (" + trigger + "): ");
        text.append(String.join(", ", counts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label()).toList()));
        List<String> bindings = bindings();
        text.append(bindings.size() == 1 ? " in binding " : " in bindings ").append(String.join(", ", bindings));
        return text.toString();
    }
}
