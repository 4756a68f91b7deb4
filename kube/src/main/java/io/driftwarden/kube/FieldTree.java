package io.driftwarden.kube;

import io.driftwarden.kube.FieldType.Field;
import io.driftwarden.kube.FieldType.ListKind;
import io.driftwarden.kube.FieldType.ListOf;
import io.driftwarden.kube.FieldType.MapOf;
import io.driftwarden.kube.FieldType.Struct;
import io.driftwarden.kube.FieldType.Untyped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths as {@code managedFields} keeps it ({@code fieldsV1}): a tree whose nodes are path elements;
 * a node is a member when the path itself is in the set (a leaf, or {@code "."} beside its children).
 * Mutable; one instance per manager entry.
 */
public final class FieldTree {

    /** Object metadata the API server keeps out of field sets. */
    public static final Set<String> SERVER_METADATA = Set.of("uid", "resourceVersion", "generation", "creationTimestamp",
            "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "name", "namespace");

    private final Map<FieldPath.Element, FieldTree> children = new LinkedHashMap<>();
    private boolean member;

    /** Parses a {@code fieldsV1} object; unknown keys are skipped. */
    public static FieldTree ofFieldsV1(JsonNode fieldsV1) {
        FieldTree tree = new FieldTree();
        tree.read(fieldsV1);
        return tree;
    }

    private void read(JsonNode node) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (entry.getKey().equals(".")) {
                member = true;
                continue;
            }
            FieldPath.Element element = FieldPath.Element.ofFieldsV1(entry.getKey());
            if (element == null) {
                continue;
            }
            FieldTree child = children.computeIfAbsent(element, e -> new FieldTree());
            if (entry.getValue().isEmpty()) {
                child.member = true;
            } else {
                child.read(entry.getValue());
            }
        }
    }

    /**
     * The fields an object sets, as server-side apply computes them from an applied configuration: every leaf,
     * every list element, and maps and pointer structs as members beside their children. {@code apiVersion},
     * {@code kind}, {@code status} and server metadata are left out.
     */
    public static FieldTree of(JsonNode object, FieldType type) {
        FieldTree tree = new FieldTree();
        if (object == null || !object.isObject()) {
            return tree;
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            if (name.equals("apiVersion") || name.equals("kind") || name.equals("status") || field.getValue().isNull()) {
                continue;
            }
            FieldTree child = tree.child(FieldPath.field(name));
            if (name.equals("metadata") && field.getValue().isObject()) {
                Struct meta = type instanceof Struct struct && struct.field("metadata").type() instanceof Struct m ? m : null;
                for (Map.Entry<String, JsonNode> m : field.getValue().properties()) {
                    if (!SERVER_METADATA.contains(m.getKey()) && !m.getValue().isNull()) {
                        Field declared = meta == null ? new Field(Untyped.INSTANCE, false) : meta.field(m.getKey());
                        child.child(FieldPath.field(m.getKey())).add(m.getValue(), declared);
                    }
                }
                if (child.children.isEmpty()) {
                    tree.children.remove(FieldPath.field(name));
                }
                continue;
            }
            child.add(field.getValue(), fieldOf(type, name));
        }
        return tree;
    }

    private static Field fieldOf(FieldType type, String name) {
        return type instanceof Struct struct ? struct.field(name) : new Field(valuesOf(type), false);
    }

    private static FieldType valuesOf(FieldType type) {
        return type instanceof MapOf map ? map.values() : FieldType.Untyped.INSTANCE;
    }

    private void add(JsonNode value, Field field) {
        FieldType type = field.type();
        boolean object = value.isObject() && !value.isEmpty();
        boolean list = value.isArray() && !value.isEmpty();
        if (type.isAtomic() || (!object && !list)) {
            member = true;
            return;
        }
        if (object && (type instanceof Struct || type instanceof MapOf || type instanceof Untyped)) {
            member |= type instanceof MapOf || !field.zeroIsAbsent();
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                if (!entry.getValue().isNull()) {
                    child(FieldPath.field(entry.getKey())).add(entry.getValue(), fieldOf(type, entry.getKey()));
                }
            }
            return;
        }
        if (list && type instanceof ListOf listType) {
            for (JsonNode element : value) {
                if (listType.kind() == ListKind.SET) {
                    child(FieldPath.value(element)).member = true;
                } else {
                    FieldTree item = child(FieldPath.key(element, listType.keys(), Keys.defaults(listType.element())));
                    item.add(element, new Field(listType.element(), true));
                    item.member = true;
                }
            }
            return;
        }
        member = true;
    }

    private FieldTree child(FieldPath.Element element) {
        return children.computeIfAbsent(element, e -> new FieldTree());
    }

    /** The node at {@code path}, or null when nothing at or below it is in the set. */
    public FieldTree find(FieldPath path) {
        FieldTree node = this;
        for (FieldPath.Element element : path.elements()) {
            node = node.children.get(element);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** Whether the path itself is in the set (not only something below it). */
    public boolean isMember() {
        return member || children.isEmpty();
    }

    public boolean isEmpty() {
        return children.isEmpty();
    }

    /** Every member path. */
    public List<FieldPath> members() {
        List<FieldPath> out = new ArrayList<>();
        collect(FieldPath.root(), out);
        return out;
    }

    private void collect(FieldPath at, List<FieldPath> out) {
        if (!at.isEmpty() && isMember()) {
            out.add(at);
        }
        children.forEach((element, child) -> child.collect(at.with(element), out));
    }

    /** Adds {@code path} as a member. */
    public void insert(FieldPath path) {
        FieldTree node = this;
        for (FieldPath.Element element : path.elements()) {
            node = node.child(element);
        }
        node.member = true;
    }

    /** Removes {@code path} and everything below it; prunes nodes left with nothing. */
    public void remove(FieldPath path) {
        if (path.isEmpty()) {
            return;
        }
        FieldTree parent = find(path.parent());
        if (parent == null) {
            return;
        }
        parent.children.remove(path.last());
        if (parent.children.isEmpty() && !parent.member && path.elements().size() > 1) {
            remove(path.parent());
        }
    }

    public boolean contains(FieldPath path) {
        FieldTree node = find(path);
        return node != null && node.isMember();
    }

    /** As {@code fieldsV1}. */
    public ObjectNode toFieldsV1() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (member && !children.isEmpty()) {
            out.putObject(".");
        }
        children.forEach((element, child) -> out.set(element.fieldsV1(), child.toFieldsV1()));
        return out;
    }
}
