package io.driftwarden.notify.message;

import io.driftwarden.notify.CommitLinks;
import io.driftwarden.notify.Digest;
import io.driftwarden.notify.Item;
import io.driftwarden.notify.PathChange;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic webhook's JSON, schema {@code driftwarden.io/notification/v1} (also the data of a CloudEvent): the target,
 * {@code digest} ({@code run} or {@code event}), the run's id and trigger, the time, the one-line {@code summary},
 * {@code counts} per event, {@code items} — each with binding, cluster, namespace, subject, events, outcome, action,
 * driftType, paths, changedBy [{path, manager, time}], message, health {state, message}, exception, source {url,
 * commit, link} and time — and {@code excepted}, the items approved exceptions covered. Fields a row does not have are
 * absent. Every item is included (no limit): a receiver filters.
 */
public final class WebhookJson {

    /** The schema's name; a change that removes or renames a field gets a new one. */
    public static final String SCHEMA = "driftwarden.io/notification/v1";

    private WebhookJson() {
    }

    public static ObjectNode of(Digest digest) {
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("schema", SCHEMA).put("target", digest.target().name())
                .put("digest", digest.kind().name().toLowerCase(java.util.Locale.ROOT));
        json.putObject("run").put("id", digest.runId()).put("trigger", digest.trigger());
        json.put("time", digest.time() == null ? null : digest.time().toString()).put("summary", digest.title());
        ObjectNode counts = json.putObject("counts");
        for (Map.Entry<io.driftwarden.config.NotificationTarget.Event, Long> count : digest.counts().entrySet()) {
            counts.put(count.getKey().label(), count.getValue());
        }
        ArrayNode items = json.putArray("items");
        digest.items().forEach(item -> items.add(item(item)));
        ArrayNode excepted = json.putArray("excepted");
        digest.excepted().forEach(item -> excepted.add(item(item)));
        return json;
    }

    static ObjectNode item(Item item) {
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("binding", item.binding());
        putIf(json, "cluster", item.cluster());
        putIf(json, "namespace", item.namespace());
        putIf(json, "subject", item.subject() == null || item.subject().isEmpty() ? null : item.subject());
        ArrayNode events = json.putArray("events");
        item.events().stream().sorted().forEach(event -> events.add(event.label()));
        putIf(json, "outcome", item.outcome());
        putIf(json, "action", item.action());
        putIf(json, "driftType", item.driftType());
        ArrayNode paths = json.putArray("paths");
        item.paths().forEach(paths::add);
        ArrayNode changedBy = json.putArray("changedBy");
        for (PathChange change : item.changedBy()) {
            ObjectNode c = changedBy.addObject().put("path", change.path());
            putIf(c, "manager", change.manager());
            putIf(c, "time", change.time());
        }
        putIf(json, "message", item.message());
        if (item.healthState() != null) {
            ObjectNode health = json.putObject("health").put("state", item.healthState());
            putIf(health, "message", item.healthMessage());
        }
        putIf(json, "exception", item.exception());
        if (item.sourceUrl() != null || item.commit() != null) {
            ObjectNode source = json.putObject("source");
            putIf(source, "url", item.sourceUrl());
            putIf(source, "commit", item.commit());
            putIf(source, "link", CommitLinks.link(item.sourceUrl(), item.commit()));
        }
        putIf(json, "time", item.time() == null ? null : item.time().toString());
        return json;
    }

    private static void putIf(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
