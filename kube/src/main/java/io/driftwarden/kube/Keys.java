package io.driftwarden.kube;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Defaults of list-map key fields, which the server fills in before it matches list elements: the {@code default} of a
 * field in the types data ({@link FieldType.Field#defaultValue()}, from a {@code +default=} marker). Of the key fields
 * of built-in types only {@code ContainerPort.protocol} and {@code ServicePort.protocol} have one ({@code "TCP"}).
 */
public final class Keys {

    private Keys() {
    }

    /**
     * Fills in missing key fields that have a default, through the whole object, as the API server does when it
     * stores an object (so every element of a keyed list has one identity).
     */
    public static void fillDefaults(JsonNode value, FieldType type) {
        if (value instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                FieldType child = type instanceof FieldType.Struct struct ? struct.field(field.getKey()).type()
                        : type instanceof FieldType.MapOf map ? map.values() : FieldType.Untyped.INSTANCE;
                fillDefaults(field.getValue(), child);
            }
        } else if (value instanceof ArrayNode array && type instanceof FieldType.ListOf list) {
            Map<String, String> defaults = list.kind() == FieldType.ListKind.MAP ? defaults(list.element()) : Map.of();
            for (JsonNode element : array) {
                if (element instanceof ObjectNode item) {
                    defaults.forEach((key, text) -> {
                        if (!item.hasNonNull(key) && list.keys().contains(key)) {
                            item.put(key, text);
                        }
                    });
                }
                fillDefaults(element, list.element());
            }
        }
    }

    /**
     * The text defaults of the fields of elements of this type (empty for most); callers use those of the key fields.
     */
    public static Map<String, String> defaults(FieldType element) {
        if (!(element instanceof FieldType.Struct struct)) {
            return Map.of();
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        struct.fields().forEach((name, field) -> {
            if (field.defaultValue() != null && field.defaultValue().isString()) {
                defaults.put(name, field.defaultValue().asString());
            }
        });
        return defaults;
    }
}
