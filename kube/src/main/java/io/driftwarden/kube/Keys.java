package io.driftwarden.kube;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Defaults of list-map key fields, which the server fills in before it matches list elements. Kubernetes' Go types
 * mark them {@code +default="TCP"} on {@code ContainerPort.Protocol}, {@code ServicePort.Protocol} and
 * {@code EndpointPort.Protocol} (k8s.io/api core/v1 types.go); no other key field of a built-in type has a default.
 */
public final class Keys {

    private static final Map<String, Map<String, String>> DEFAULTS = Map.of(
            "core/v1.ContainerPort", Map.of("protocol", "TCP"),
            "core/v1.ServicePort", Map.of("protocol", "TCP"),
            "core/v1.EndpointPort", Map.of("protocol", "TCP"));

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

    /** The key defaults of elements of this type (empty for most). */
    public static Map<String, String> defaults(FieldType element) {
        return element instanceof FieldType.Struct struct ? DEFAULTS.getOrDefault(struct.name(), Map.of()) : Map.of();
    }
}
