package io.driftwarden.sandbox;

import io.driftwarden.kube.ApplyMerge;
import io.driftwarden.kube.FieldPath;
import io.driftwarden.kube.FieldTree;
import io.driftwarden.kube.FieldType;
import io.driftwarden.kube.FieldType.Field;
import io.driftwarden.kube.FieldType.ListKind;
import io.driftwarden.kube.FieldType.ListOf;
import io.driftwarden.kube.FieldType.MapOf;
import io.driftwarden.kube.FieldType.Struct;
import io.driftwarden.kube.Keys;
import io.driftwarden.kube.Pointers;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the API server's field manager does on each write, for the sandbox, after sigs.k8s.io/structured-merge-diff
 * (SMD, {@code merge.Updater}) as kube-apiserver wraps it. An apply owns exactly the fields its configuration sets
 * (leaves, list elements, atomic values whole; not the maps and structs around them), merges them in, removes what
 * it applied before and no longer applies unless another manager owns it (a list element it stops applying goes
 * whole), and refuses (409) or, with force, takes fields other managers own whose value it changes. Any other write
 * owns what it added or changed, compared with the object before as the Go types hold it (a create compares with the
 * Go zero value, so it owns a new map or list itself and the empty structs it brings). The result carries
 * {@code metadata.managedFields}.
 */
final class FieldManagers {

    /** Metadata the field manager keeps out of every set (kube-apiserver's stripped paths). */
    private static final Set<String> STRIPPED_METADATA = Set.of("name", "namespace", "creationTimestamp", "selfLink", "uid",
            "clusterName", "generation", "managedFields", "resourceVersion");

    /** Thrown for an apply without force that would change fields another manager owns (HTTP 409). */
    static final class ConflictException extends RuntimeException {
        private final List<Conflict> conflicts;

        ConflictException(List<Conflict> conflicts) {
            super(message(conflicts));
            this.conflicts = List.copyOf(conflicts);
        }

        /** As {@code details.causes} of the 409: reason FieldManagerConflict, the other manager, the field. */
        List<Map<String, String>> causes() {
            return conflicts.stream().map(c -> Map.of("reason", "FieldManagerConflict",
                    "message", "conflict with " + c.manager(), "field", c.path())).toList();
        }

        private static String message(List<Conflict> conflicts) {
            if (conflicts.size() == 1) {
                return "Apply failed with 1 conflict: conflict with " + conflicts.get(0).manager() + ": " + conflicts.get(0).path();
            }
            Map<String, List<String>> byManager = new java.util.TreeMap<>();
            conflicts.forEach(c -> byManager.computeIfAbsent(c.sortKey() + "\u0000" + c.manager(), k -> new ArrayList<>()).add(c.path()));
            List<String> lines = new ArrayList<>();
            byManager.forEach((id, paths) -> {
                lines.add("conflicts with " + id.substring(id.indexOf('\u0000') + 1) + ":");
                paths.forEach(p -> lines.add("- " + p));
            });
            return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
        }
    }

    /** One conflicting field: the other manager as the API server prints it, and the path in SMD's notation. */
    record Conflict(String manager, String sortKey, String path) {
    }

    private final Clock clock;

    FieldManagers(Clock clock) {
        this.clock = clock;
    }

    /** Server-side apply of {@code applied} onto {@code current} (null: create) by {@code manager}. */
    ObjectNode apply(JsonNode current, JsonNode applied, FieldType type, String manager, boolean force) {
        List<Entry> entries = Entry.read(current);
        FieldTree appliedSet = setOf(applied, type);
        ObjectNode merged = (ObjectNode) ApplyMerge.merge(current, applied, type);
        setNulls(merged, applied, type);
        Entry own = Entry.find(entries, manager, "Apply", "");
        if (own != null) {
            prune(merged, own.fields, appliedSet, entries, own, type);
        }
        Comparison change = compare(current, merged, type);
        List<Conflict> conflicts = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry == own) {
                continue;
            }
            for (FieldPath path : entry.fields.members()) {
                if (change.changed.contains(path)) {
                    conflicts.add(new Conflict(entry.printed(), entry.manager + "/" + entry.operation, smd(path)));
                }
            }
        }
        if (!force && !conflicts.isEmpty()) {
            throw new ConflictException(conflicts);
        }
        for (Entry entry : entries) {
            if (entry != own) {
                change.changed.members().forEach(entry.fields::remove);
                change.removed.members().forEach(entry.fields::remove);
            }
        }
        // as kube-apiserver's managedFieldsUpdater: the applier's time moves only when the apply changed the object
        boolean changed = !change.changed.isEmpty() || !change.removed.isEmpty();
        set(entries, manager, "Apply", "", applied.path("apiVersion").asString(""), appliedSet, changed);
        return withEntries(wire(merged, type), entries, current);
    }

    /**
     * Any other write (create, update, merge, JSON or strategic merge patch) of {@code updated} by {@code manager},
     * through {@code subresource} ({@code ""} for the object itself, {@code scale} …). A {@code managedFields} in the
     * body of a write to the object itself is the starting point ({@code []} or {@code [{}]} clear it).
     */
    ObjectNode update(JsonNode current, ObjectNode updated, FieldType type, String manager, String subresource) {
        List<Entry> entries = Entry.read(current);
        JsonNode given = updated.path("metadata").get("managedFields");
        if (subresource.isEmpty() && given != null && given.isArray()) {
            boolean reset = given.isEmpty() || given.size() == 1 && given.get(0).isEmpty();
            if (reset || !given.equals(current == null ? null : current.path("metadata").get("managedFields"))) {
                entries = reset ? new ArrayList<>() : Entry.read(updated);
            }
        }
        if (updated.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        ObjectNode stored = wire(updated, type);
        Comparison change = compare(current, stored, type);
        Entry own = Entry.find(entries, manager, "Update", subresource);
        for (Entry entry : entries) {
            if (entry != own) {
                change.changed.members().forEach(entry.fields::remove);
            }
            change.removed.members().forEach(entry.fields::remove);
        }
        FieldTree owned = own == null ? new FieldTree() : own.fields;
        change.changed.members().forEach(owned::insert);
        // as kube-apiserver's managedFieldsUpdater: the manager's time moves when this write took any field
        set(entries, manager, "Update", subresource, updated.path("apiVersion").asString(""), owned, !change.changed.isEmpty());
        return withEntries(stored, entries, current);
    }

    // ---- the field set an applied configuration sets (SMD ToFieldSet) ----

    private static FieldTree setOf(JsonNode object, FieldType type) {
        FieldTree set = new FieldTree();
        if (object != null && object.isObject()) {
            for (Map.Entry<String, JsonNode> field : topLevel(object)) {
                if (field.getKey().equals("metadata") && field.getValue().isEmpty()) {
                    continue;
                }
                collect(field.getValue(), childType(type, field.getKey()), FieldPath.root().with(field.getKey()), set);
            }
        }
        return set;
    }

    /** The fields the field manager tracks: not apiVersion, kind, status nor server metadata. */
    private static List<Map.Entry<String, JsonNode>> topLevel(JsonNode object) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            if (name.equals("apiVersion") || name.equals("kind") || name.equals("status")) {
                continue;
            }
            if (name.equals("metadata") && field.getValue().isObject()) {
                ObjectNode metadata = JsonNodeFactory.instance.objectNode();
                field.getValue().properties().stream().filter(m -> !STRIPPED_METADATA.contains(m.getKey()))
                        .forEach(m -> metadata.set(m.getKey(), m.getValue()));
                fields.add(Map.entry(name, metadata));
                continue;
            }
            fields.add(field);
        }
        return fields;
    }

    private static void collect(JsonNode value, FieldType type, FieldPath at, FieldTree set) {
        if (atomic(type) || value.isNull() && !(type instanceof Struct || type instanceof MapOf || type instanceof ListOf)) {
            set.insert(at);
            return;
        }
        if (value.isObject() && !(type instanceof ListOf)) {
            if (type instanceof FieldType.Scalar || value.isEmpty()) {
                set.insert(at);
                return;
            }
            value.properties().forEach(e -> collect(e.getValue(), childType(type, e.getKey()), at.with(e.getKey()), set));
        } else if (value.isArray() && type instanceof ListOf list) {
            for (JsonNode element : value) {
                FieldPath item = at.with(identity(element, list));
                set.insert(item);
                if (list.kind() == ListKind.MAP) {
                    element.properties().forEach(e -> collect(e.getValue(), childType(list.element(), e.getKey()), item.with(e.getKey()), set));
                }
            }
        } else if (!value.isNull()) {
            set.insert(at);
        }
    }

    // ---- comparison (SMD TypedValue.Compare: Added, Modified, Removed) ----

    /** Added and modified paths ({@code changed}), removed ones ({@code removed}). */
    private record Comparison(FieldTree changed, FieldTree removed) {
    }

    /** {@code before} null is the Go zero value of the kind, as a create compares with it. */
    private static Comparison compare(JsonNode before, JsonNode after, FieldType type) {
        Comparison c = new Comparison(new FieldTree(), new FieldTree());
        JsonNode old = withZeroStructs(before == null ? JsonNodeFactory.instance.objectNode() : before.deepCopy(), type);
        JsonNode now = withZeroStructs(after.deepCopy(), type);
        Map<String, JsonNode> left = new LinkedHashMap<>();
        topLevel(old).forEach(e -> left.put(e.getKey(), e.getValue()));
        Map<String, JsonNode> right = new LinkedHashMap<>();
        topLevel(now).forEach(e -> right.put(e.getKey(), e.getValue()));
        compareFields(left, right, type, FieldPath.root(), c);
        return c;
    }

    private static void compareFields(Map<String, JsonNode> left, Map<String, JsonNode> right, FieldType type, FieldPath at, Comparison c) {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(left.keySet());
        names.addAll(right.keySet());
        for (String name : names) {
            compare(left.get(name), right.get(name), childType(type, name), at.with(name), c);
        }
    }

    private static void compare(JsonNode l, JsonNode r, FieldType type, FieldPath at, Comparison c) {
        if (l == null && r == null) {
            return;
        }
        boolean leaf = atomic(type) || !(isObject(l) || isObject(r) || (type instanceof ListOf && (isArray(l) || isArray(r))));
        if (!leaf && type instanceof FieldType.Scalar) {
            leaf = true;
        }
        if (leaf) {
            if (l == null) {
                c.changed.insert(at);
            } else if (r == null) {
                c.removed.insert(at);
            } else if (!Objects.equals(l, r)) {
                c.changed.insert(at);
            }
            return;
        }
        if (type instanceof ListOf list && list.kind() != ListKind.ATOMIC) {
            Map<FieldPath.Element, JsonNode> lefts = elements(l, list);
            Map<FieldPath.Element, JsonNode> rights = elements(r, list);
            java.util.LinkedHashSet<FieldPath.Element> keys = new java.util.LinkedHashSet<>(lefts.keySet());
            keys.addAll(rights.keySet());
            for (FieldPath.Element key : keys) {
                JsonNode a = lefts.get(key);
                JsonNode b = rights.get(key);
                FieldPath item = at.with(key);
                if (list.kind() == ListKind.MAP) {
                    compareFields(fieldsOf(a), fieldsOf(b), list.element(), item, c);
                }
                mark(a, b, item, c);
            }
        } else {
            compareFields(fieldsOf(l), fieldsOf(r), type, at, c);
        }
        mark(l, r, at, c);
    }

    private static void mark(JsonNode l, JsonNode r, FieldPath at, Comparison c) {
        if (l == null) {
            c.changed.insert(at);
        } else if (r == null) {
            c.removed.insert(at);
        }
    }

    private static boolean isObject(JsonNode n) {
        return n != null && n.isObject();
    }

    private static boolean isArray(JsonNode n) {
        return n != null && n.isArray();
    }

    private static Map<String, JsonNode> fieldsOf(JsonNode n) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static Map<FieldPath.Element, JsonNode> elements(JsonNode list, ListOf type) {
        Map<FieldPath.Element, JsonNode> out = new LinkedHashMap<>();
        if (list != null && list.isArray()) {
            list.forEach(e -> out.putIfAbsent(identity(e, type), e));
        }
        return out;
    }

    // ---- what the stored object looks like (the Go types' round trip) ----

    /** Non-pointer structs the Go zero value holds ({@code spec}, {@code strategy}, a container's {@code resources}). */
    private static JsonNode withZeroStructs(JsonNode value, FieldType type) {
        if (value instanceof ObjectNode object && type instanceof Struct struct && !atomic(type)) {
            for (Map.Entry<String, Field> field : struct.fields().entrySet()) {
                if (field.getKey().equals("status")) {
                    continue;
                }
                JsonNode child = object.get(field.getKey());
                Field declared = field.getValue();
                if (child == null && declared.zeroIsAbsent() && declared.type() instanceof Struct) {
                    child = object.putObject(field.getKey());
                } else if (child == null && declared.zeroIsAbsent() && !declared.zeroIsOmitted()
                        && (declared.type() instanceof ListOf || declared.type() instanceof MapOf)) {
                    object.putNull(field.getKey());
                }
                if (child != null) {
                    withZeroStructs(child, field.getValue().type());
                }
            }
        } else if (value instanceof ObjectNode object && type instanceof MapOf map) {
            object.forEach(v -> withZeroStructs(v, map.values()));
        } else if (value instanceof ArrayNode array && type instanceof ListOf list) {
            array.forEach(v -> withZeroStructs(v, list.element()));
        }
        return value;
    }

    /**
     * The object as the API server stores it after decoding into the Go types: a non-pointer {@code omitempty} field
     * holding its zero value ({@code env: []}, {@code ""}, {@code null}) is left out.
     */
    static ObjectNode wire(ObjectNode object, FieldType type) {
        dropOmitted(object, type);
        return object;
    }

    private static void dropOmitted(JsonNode value, FieldType type) {
        if (value instanceof ObjectNode object && type instanceof Struct struct) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                if (!struct.has(entry.getKey())) {
                    continue;
                }
                Field field = struct.field(entry.getKey());
                JsonNode v = entry.getValue();
                boolean zero = v.isNull() || v.isArray() && v.isEmpty() || v.isObject() && v.isEmpty() && field.type() instanceof MapOf
                        || v.isString() && v.asString().isEmpty() || v.isBoolean() && !v.asBoolean()
                        || v.isNumber() && v.asDouble() == 0;
                if (field.zeroIsOmitted() && zero && !(field.type() instanceof Struct)
                        && field.type() != FieldType.Scalar.QUANTITY && field.type() != FieldType.Scalar.INT_OR_STRING) {
                    fields.remove();
                } else if (v.isNull() && !(field.type() instanceof FieldType.Untyped)) {
                    fields.remove();
                } else {
                    dropOmitted(v, field.type());
                }
            }
        } else if (value instanceof ObjectNode object && type instanceof MapOf map) {
            object.forEach(v -> dropOmitted(v, map.values()));
        } else if (value instanceof ArrayNode array && type instanceof ListOf list) {
            array.forEach(v -> dropOmitted(v, list.element()));
        }
    }

    // ---- apply's removals ----

    /**
     * A {@code null} in an applied configuration replaces the field's value with null, as SMD's merge does: it counts
     * as a change (a conflict with the field's owner), and the stored object leaves the field out.
     */
    private static void setNulls(JsonNode merged, JsonNode applied, FieldType type) {
        if (applied == null || merged == null || atomic(type)) {
            return;
        }
        if (applied.isObject() && merged instanceof ObjectNode target && !(type instanceof ListOf)) {
            for (Map.Entry<String, JsonNode> e : applied.properties()) {
                if (e.getValue().isNull()) {
                    target.putNull(e.getKey());
                } else {
                    setNulls(target.get(e.getKey()), e.getValue(), childType(type, e.getKey()));
                }
            }
        } else if (applied.isArray() && merged.isArray() && type instanceof ListOf list && list.kind() == ListKind.MAP) {
            Map<FieldPath.Element, JsonNode> targets = elements(merged, list);
            applied.forEach(e -> setNulls(targets.get(identity(e, list)), e, list.element()));
        }
    }

    /**
     * What the applier applied before ({@code last}) and no longer applies, nor any other manager owns, leaves the
     * object; a list element goes whole when its own path is no longer owned, whatever others own inside it.
     */
    private static void prune(ObjectNode merged, FieldTree last, FieldTree applied, List<Entry> entries, Entry own, FieldType type) {
        List<String> removals = new ArrayList<>();
        for (FieldPath path : last.members()) {
            if (applied.contains(path) || entries.stream().anyMatch(e -> e != own && e.fields.contains(path))) {
                continue;
            }
            boolean element = path.last().kind() != FieldPath.Element.Kind.FIELD;
            if (!element && entries.stream().anyMatch(e -> e != own && e.fields.find(path) != null) || applied.find(path) != null) {
                continue;
            }
            String pointer = path.pointer(merged);
            if (pointer != null) {
                removals.add(pointer);
            }
        }
        removals.sort((a, b) -> Integer.compare(a.length(), b.length()));
        List<String> outermost = new ArrayList<>();
        for (String pointer : removals) {
            if (outermost.stream().noneMatch(p -> pointer.startsWith(p + "/"))) {
                outermost.add(pointer);
            }
        }
        Pointers.removeAll(merged, outermost);
    }

    // ---- types and paths ----

    private static boolean atomic(FieldType type) {
        return type.isAtomic(); // atomic structs and maps by the Go types' markers (kube's GoTypes)
    }

    private static FieldType childType(FieldType type, String name) {
        if (type instanceof Struct struct) {
            return struct.field(name).type();
        }
        return type instanceof MapOf map ? map.values() : FieldType.Untyped.INSTANCE;
    }

    private static FieldPath.Element identity(JsonNode element, ListOf list) {
        return list.kind() == ListKind.SET ? FieldPath.value(element) : FieldPath.key(element, list.keys(), Keys.defaults(list.element()));
    }

    /** A path as SMD prints it: {@code .spec.template.spec.containers[name="app"].image}. */
    static String smd(FieldPath path) {
        StringBuilder out = new StringBuilder();
        for (FieldPath.Element e : path.elements()) {
            switch (e.kind()) {
                case FIELD -> out.append('.').append(e.text());
                case KEY -> {
                    JsonNode key = tools.jackson.databind.json.JsonMapper.builder().build().readTree(e.text());
                    List<String> parts = new ArrayList<>();
                    key.properties().forEach(k -> parts.add(k.getKey() + "=" + k.getValue()));
                    out.append('[').append(String.join(",", parts)).append(']');
                }
                case VALUE -> out.append("[=").append(e.text()).append(']');
                case INDEX -> out.append('[').append(e.text()).append(']');
            }
        }
        return out.toString();
    }

    // ---- entries ----

    /**
     * The manager's entry after its write: a new entry is stamped now; an existing one only when {@code touched} (the
     * write changed what it owns), else it keeps its time whatever its field set became. Other entries keep theirs.
     */
    private void set(List<Entry> entries, String manager, String operation, String subresource, String apiVersion, FieldTree fields,
                     boolean touched) {
        Entry existing = Entry.find(entries, manager, operation, subresource);
        if (existing == null) {
            entries.add(new Entry(manager, operation, apiVersion, now(), subresource, fields));
        } else {
            entries.set(entries.indexOf(existing), new Entry(manager, operation, apiVersion, touched ? now() : existing.time,
                    subresource, fields));
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

        /** As kube-apiserver names a manager in a conflict: {@code "hpa" with subresource "scale" using apps/v1}. */
        String printed() {
            String name = "\"" + manager + "\"";
            if (operation.equals("Apply")) {
                return name;
            }
            return name + (subresource.isEmpty() ? "" : " with subresource \"" + subresource + "\"") + " using " + apiVersion;
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
