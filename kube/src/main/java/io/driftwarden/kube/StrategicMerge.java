package io.driftwarden.kube;

import io.driftwarden.kube.FieldType.Field;
import io.driftwarden.kube.FieldType.ListOf;
import io.driftwarden.kube.FieldType.MapOf;
import io.driftwarden.kube.FieldType.Struct;
import io.driftwarden.kube.FieldType.Untyped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' strategic merge patch ({@code application/strategic-merge-patch+json}) of a built-in kind, by its Go
 * types' {@code patchStrategy} and {@code patchMergeKey} tags (k8s.io/apimachinery strategicpatch): objects merge
 * field by field and {@code null} deletes; a list tagged {@code merge} merges its elements by the merge key (a list of
 * scalars as a set), any other list is replaced. The directives kubectl sends are honoured: {@code $patch: replace |
 * delete | merge}, {@code $retainKeys}, {@code $deleteFromPrimitiveList/FIELD} and {@code $setElementOrder/FIELD}.
 * Like the API server, list-type markers ({@code +listType=map}) play no part here; only the patch tags do.
 */
public final class StrategicMerge {

    private static final String PATCH = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM = "$deleteFromPrimitiveList/";
    private static final String ELEMENT_ORDER = "$setElementOrder/";

    /** A patch the server would refuse (HTTP 400 or 422), with its reason. */
    public static final class InvalidPatch extends RuntimeException {
        InvalidPatch(String message) {
            super(message);
        }
    }

    private StrategicMerge() {
    }

    /** {@code original} with {@code patch} applied; neither argument is changed. */
    public static ObjectNode apply(JsonNode original, JsonNode patch, FieldType type) {
        if (!(patch instanceof ObjectNode patchObject)) {
            throw new InvalidPatch("a strategic merge patch must be a JSON object");
        }
        ObjectNode result = mergeObject(((ObjectNode) original).deepCopy(), patchObject, type);
        return result == null ? JsonNodeFactory.instance.objectNode() : result;
    }

    /** Merges {@code patch} into {@code original} (changed in place); null when the patch deletes the object. */
    private static ObjectNode mergeObject(ObjectNode original, ObjectNode patch, FieldType type) {
        String directive = patch.path(PATCH).asString("merge");
        switch (directive) {
            case "delete":
                return null;
            case "replace":
                return (ObjectNode) mergeObject(JsonNodeFactory.instance.objectNode(), withoutKey(patch, PATCH), type);
            case "merge":
                break;
            default:
                throw new InvalidPatch("unknown patch type: " + directive + " in map: " + patch);
        }
        if (patch.has(RETAIN_KEYS)) {
            Set<String> retained = new HashSet<>();
            for (JsonNode key : requireList(patch.get(RETAIN_KEYS), RETAIN_KEYS)) {
                retained.add(key.asString());
            }
            original.properties().removeIf(field -> !retained.contains(field.getKey()));
        }
        Map<String, JsonNode> orders = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (key.equals(PATCH) || key.equals(RETAIN_KEYS)) {
                continue;
            }
            if (key.startsWith(ELEMENT_ORDER)) {
                orders.put(key.substring(ELEMENT_ORDER.length()), requireList(value, key));
            } else if (key.startsWith(DELETE_FROM)) {
                deleteFromPrimitiveList(original, key.substring(DELETE_FROM.length()), requireList(value, key));
            } else if (value.isNull()) {
                original.remove(key);
            } else {
                Field field = field(type, key);
                JsonNode merged = mergeValue(original.get(key), value, field);
                if (merged == null) {
                    original.remove(key);
                } else {
                    original.set(key, merged);
                }
            }
        }
        orders.forEach((name, order) -> {
            if (original.get(name) instanceof ArrayNode list) {
                original.set(name, ordered(list, order, field(type, name).patchMergeKey()));
            }
        });
        return original;
    }

    private static JsonNode mergeValue(JsonNode current, JsonNode patch, Field field) {
        if (patch instanceof ObjectNode patchObject) {
            ObjectNode base = current instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
            return mergeObject(base, patchObject, field.type());
        }
        if (patch instanceof ArrayNode patchList && field.mergesList()) {
            ArrayNode base = current instanceof ArrayNode list ? list : JsonNodeFactory.instance.arrayNode();
            return mergeList(base, patchList, field);
        }
        return withoutDirectives(patch);
    }

    private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, Field field) {
        FieldType element = field.type() instanceof ListOf list ? list.element() : Untyped.INSTANCE;
        for (JsonNode item : patch) {
            if (item.isObject() && item.path(PATCH).asString("").equals("replace") && item.size() == 1) {
                ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
                patch.forEach(other -> {
                    if (other != item) {
                        replaced.add(withoutDirectives(other));
                    }
                });
                return replaced;
            }
        }
        String mergeKey = field.patchMergeKey();
        ArrayNode result = original.deepCopy();
        for (JsonNode item : patch) {
            if (!(item instanceof ObjectNode patchElement)) {
                if (!contains(result, item)) {
                    result.add(item);
                }
                continue;
            }
            if (mergeKey.isEmpty()) {
                throw new InvalidPatch("a list of objects without a patchMergeKey cannot be merged: " + item);
            }
            JsonNode key = patchElement.get(mergeKey);
            if (key == null) {
                throw new InvalidPatch("map: " + item + " does not contain declared merge key: " + mergeKey);
            }
            int index = indexOf(result, mergeKey, key);
            if (patchElement.path(PATCH).asString("").equals("delete")) {
                while (index >= 0) {
                    result.remove(index);
                    index = indexOf(result, mergeKey, key);
                }
                continue;
            }
            ObjectNode base = index >= 0 ? (ObjectNode) result.get(index) : JsonNodeFactory.instance.objectNode();
            ObjectNode merged = mergeObject(base, patchElement, element);
            if (index >= 0) {
                result.set(index, merged);
            } else if (merged != null) {
                result.add(merged);
            }
        }
        return result;
    }

    private static void deleteFromPrimitiveList(ObjectNode original, String name, JsonNode values) {
        if (original.get(name) instanceof ArrayNode list) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            list.forEach(value -> {
                if (!contains(values, value)) {
                    kept.add(value);
                }
            });
            if (kept.isEmpty()) {
                original.remove(name);
            } else {
                original.set(name, kept);
            }
        }
    }

    /**
     * The list in the order {@code $setElementOrder} gives: the elements it names in its order, then those it does
     * not name (set by others) in the order they had.
     */
    private static ArrayNode ordered(ArrayNode list, JsonNode order, String mergeKey) {
        List<JsonNode> remaining = new ArrayList<>();
        list.forEach(remaining::add);
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        for (JsonNode wanted : order) {
            for (int i = 0; i < remaining.size(); i++) {
                JsonNode element = remaining.get(i);
                boolean same = wanted.isObject() && !mergeKey.isEmpty()
                        ? element.path(mergeKey).equals(wanted.path(mergeKey)) : element.equals(wanted);
                if (same) {
                    result.add(element);
                    remaining.remove(i);
                    break;
                }
            }
        }
        remaining.forEach(result::add);
        return result;
    }

    private static Field field(FieldType type, String name) {
        if (type instanceof Struct struct) {
            return struct.field(name);
        }
        return new Field(type instanceof MapOf map ? map.values() : Untyped.INSTANCE, false);
    }

    private static JsonNode withoutDirectives(JsonNode value) {
        if (value instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            object.properties().forEach(field -> {
                if (!field.getKey().startsWith("$") && !field.getValue().isNull()) {
                    copy.set(field.getKey(), withoutDirectives(field.getValue()));
                }
            });
            return copy;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> copy.add(withoutDirectives(element)));
            return copy;
        }
        return value;
    }

    private static ObjectNode withoutKey(ObjectNode object, String key) {
        ObjectNode copy = object.deepCopy();
        copy.remove(key);
        return copy;
    }

    private static JsonNode requireList(JsonNode value, String directive) {
        if (!value.isArray()) {
            throw new InvalidPatch(directive + " must be a list, not " + value);
        }
        return value;
    }

    private static boolean contains(JsonNode list, JsonNode value) {
        for (JsonNode element : list) {
            if (element.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(ArrayNode list, String mergeKey, JsonNode key) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).path(mergeKey).equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
