package io.driftwarden.kube;

import io.driftwarden.kube.FieldType.ListKind;
import io.driftwarden.kube.FieldType.ListOf;
import io.driftwarden.kube.FieldType.MapOf;
import io.driftwarden.kube.FieldType.Struct;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side apply's merge of an applied configuration into a live object, by the schema: objects field by
 * field, map-type lists element by element (matched by key), sets by value, atomic values replaced whole. A
 * {@code null} in the applied configuration is skipped, as the API server does.
 */
public final class ApplyMerge {

    private ApplyMerge() {
    }

    /** A new object: {@code live} (may be null) with {@code applied} merged in. Neither argument is changed. */
    public static JsonNode merge(JsonNode live, JsonNode applied, FieldType type) {
        if (applied == null || applied.isNull()) {
            return live == null ? null : live.deepCopy();
        }
        if (live == null || live.isNull() || type.isAtomic() && !(type instanceof Struct)) {
            return withoutNulls(applied);
        }
        if (applied.isObject() && live.isObject() && !type.isAtomic()) {
            ObjectNode result = ((ObjectNode) live).deepCopy();
            for (Map.Entry<String, JsonNode> field : applied.properties()) {
                if (field.getValue().isNull()) {
                    continue;
                }
                FieldType child = type instanceof Struct struct ? struct.field(field.getKey()).type()
                        : type instanceof MapOf map ? map.values() : FieldType.Untyped.INSTANCE;
                result.set(field.getKey(), merge(live.get(field.getKey()), field.getValue(), child));
            }
            return result;
        }
        if (applied.isArray() && live.isArray() && type instanceof ListOf list && list.kind() != ListKind.ATOMIC) {
            ArrayNode result = ((ArrayNode) live).deepCopy();
            Map<FieldPath.Element, Integer> indexes = new HashMap<>();
            for (int i = 0; i < result.size(); i++) {
                indexes.putIfAbsent(identity(result.get(i), list), i);
            }
            for (JsonNode element : applied) {
                Integer index = indexes.get(identity(element, list));
                if (index == null) {
                    indexes.put(identity(element, list), result.size());
                    result.add(withoutNulls(element));
                } else if (list.kind() == ListKind.MAP) {
                    result.set(index, merge(result.get(index), element, list.element()));
                }
            }
            return result;
        }
        return withoutNulls(applied);
    }

    private static FieldPath.Element identity(JsonNode element, ListOf list) {
        return list.kind() == ListKind.SET ? FieldPath.value(element) : FieldPath.key(element, list.keys(), Keys.defaults(list.element()));
    }

    private static JsonNode withoutNulls(JsonNode value) {
        JsonNode copy = value.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(e -> e.getValue().isNull());
            object.forEach(ApplyMerge::strip);
        } else if (node instanceof ArrayNode array) {
            array.forEach(ApplyMerge::strip);
        }
    }
}
