package io.driftwarden.sandbox;

import io.driftwarden.kube.ApplyMerge;
import io.driftwarden.kube.FieldPath;
import io.driftwarden.kube.FieldTree;
import io.driftwarden.kube.FieldType;
import io.driftwarden.kube.Pointers;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the API server's field manager does on each write, for the sandbox: server-side apply merges by the schema,
 * takes (with force) or refuses (without) fields other managers set to other values, and removes the fields the
 * applier set before and no longer applies unless another manager owns them; any other write gives its manager
 * the fields whose value it changed. The result carries {@code metadata.managedFields} as a real server records them.
 */
final class FieldManagers {

    /** Thrown for an apply without force that would change fields another manager owns (HTTP 409). */
    static final class ConflictException extends RuntimeException {
        ConflictException(String message) {
            super(message);
        }
    }

    private final Clock clock;

    FieldManagers(Clock clock) {
        this.clock = clock;
    }

    /** Server-side apply of {@code applied} onto {@code current} (null: create) by {@code manager}. */
    ObjectNode apply(JsonNode current, JsonNode applied, FieldType type, String manager, boolean force) {
        List<Entry> entries = Entry.read(current);
        FieldTree appliedSet = FieldTree.of(applied, type);
        ObjectNode merged = (ObjectNode) ApplyMerge.merge(current, applied, type);
        List<String> conflicts = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.is(manager, "Apply", "")) {
                continue;
            }
            for (FieldPath path : leaves(appliedSet)) {
                if (entry.fields.contains(path) && !sameValue(path, current, merged)) {
                    conflicts.add(path.render() + " (owned by " + entry.manager + ")");
                    entry.fields.remove(path);
                }
            }
        }
        if (!force && !conflicts.isEmpty()) {
            throw new ConflictException("Apply failed with " + conflicts.size() + " conflict(s): " + String.join(", ", conflicts));
        }
        Entry own = Entry.find(entries, manager, "Apply", "");
        if (own != null) {
            List<String> removals = new ArrayList<>();
            for (FieldPath path : own.fields.members()) {
                if (!appliedSet.contains(path) && entries.stream().noneMatch(e -> e != own && e.fields.find(path) != null)) {
                    String pointer = path.pointer(merged);
                    if (pointer != null) {
                        removals.add(pointer);
                    }
                }
            }
            Pointers.removeAll(merged, removals);
        }
        set(entries, manager, "Apply", "", applied.path("apiVersion").asString(""), appliedSet);
        return withEntries(merged, entries, current);
    }

    /**
     * Any other write (create, update, merge, JSON or strategic merge patch) of {@code updated} by {@code manager},
     * through {@code subresource} ({@code ""} for the object itself, {@code scale} …).
     */
    ObjectNode update(JsonNode current, ObjectNode updated, FieldType type, String manager, String subresource) {
        JsonNode given = updated.path("metadata").get("managedFields");
        if (given != null && given.isArray() && !given.isEmpty()
                && (current == null || !given.equals(current.path("metadata").get("managedFields")))) {
            return updated;
        }
        List<Entry> entries = Entry.read(current);
        FieldTree after = FieldTree.of(updated, type);
        FieldTree before = FieldTree.of(current, type);
        FieldTree changed = new FieldTree();
        for (FieldPath path : after.members()) {
            boolean leaf = after.find(path).isEmpty();
            if (leaf ? !sameValue(path, current, updated) : current == null || path.valueIn(current) == null) {
                changed.insert(path);
            }
        }
        for (FieldPath path : before.members()) {
            if (path.valueIn(updated) == null) {
                entries.forEach(e -> e.fields.remove(path));
            }
        }
        for (Entry entry : entries) {
            if (!entry.is(manager, "Update", subresource)) {
                changed.members().forEach(entry.fields::remove);
            }
        }
        Entry own = Entry.find(entries, manager, "Update", subresource);
        FieldTree owned = own == null ? new FieldTree() : own.fields;
        changed.members().forEach(owned::insert);
        set(entries, manager, "Update", subresource, updated.path("apiVersion").asString(""), owned);
        return withEntries(updated, entries, current);
    }

    private void set(List<Entry> entries, String manager, String operation, String subresource, String apiVersion, FieldTree fields) {
        Entry existing = Entry.find(entries, manager, operation, subresource);
        if (existing == null) {
            entries.add(new Entry(manager, operation, apiVersion, now(), subresource, fields));
        } else if (!existing.fields.toFieldsV1().equals(fields.toFieldsV1())) {
            entries.set(entries.indexOf(existing), new Entry(manager, operation, apiVersion, now(), subresource, fields));
        }
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static ObjectNode withEntries(ObjectNode object, List<Entry> entries, JsonNode current) {
        ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        entries.stream().filter(e -> !e.fields.isEmpty()).forEach(e -> list.add(e.toJson()));
        JsonNode previous = current == null ? null : current.path("metadata").get("managedFields");
        metadata.set("managedFields", previous != null && previous.equals(list) ? previous : list);
        return object;
    }

    private static List<FieldPath> leaves(FieldTree set) {
        return set.members().stream().filter(p -> set.find(p).isEmpty()).toList();
    }

    private static boolean sameValue(FieldPath path, JsonNode a, JsonNode b) {
        JsonNode x = a == null ? null : path.valueIn(a);
        JsonNode y = b == null ? null : path.valueIn(b);
        return Objects.equals(x, y);
    }

    /** One {@code managedFields} entry. */
    private record Entry(String manager, String operation, String apiVersion, String time, String subresource, FieldTree fields) {

        static List<Entry> read(JsonNode object) {
            List<Entry> entries = new ArrayList<>();
            if (object == null) {
                return entries;
            }
            for (JsonNode entry : object.path("metadata").path("managedFields")) {
                entries.add(new Entry(entry.path("manager").asString(""), entry.path("operation").asString(""),
                        entry.path("apiVersion").asString(""), entry.path("time").asString(""),
                        entry.path("subresource").asString(""), FieldTree.ofFieldsV1(entry.path("fieldsV1"))));
            }
            return entries;
        }

        static Entry find(List<Entry> entries, String manager, String operation, String subresource) {
            return entries.stream().filter(e -> e.is(manager, operation, subresource)).findFirst().orElse(null);
        }

        boolean is(String name, String op, String sub) {
            return manager.equals(name) && operation.equals(op) && subresource.equals(sub);
        }

        ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("manager", manager);
            json.put("operation", operation);
            json.put("apiVersion", apiVersion);
            json.put("time", time);
            json.put("fieldsType", "FieldsV1");
            json.set("fieldsV1", fields.toFieldsV1());
            if (!subresource.isEmpty()) {
                json.put("subresource", subresource);
            }
            return json;
        }
    }
}
