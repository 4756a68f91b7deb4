package io.driftwarden.kube;

import io.driftwarden.kube.FieldType.ListOf;
import io.driftwarden.kube.FieldType.MapOf;
import io.driftwarden.kube.FieldType.Struct;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fields a built-in kind's Go types do not declare. The API server decodes a request into those types, so such a
 * field is refused ({@code fieldValidation=Strict}: "strict decoding error: unknown field …") or dropped with a
 * warning ({@code Warn}, the default) or silently ({@code Ignore}); it is never stored.
 */
public final class UnknownFields {

    private UnknownFields() {
    }

    /**
     * Removes from {@code object} every field its type does not declare and returns their paths as the API server
     * names them ({@code spec.template.spec.containers[0].colour}). {@code apiVersion} and {@code kind} are declared.
     */
    public static List<String> prune(ObjectNode object, FieldType type) {
        List<String> unknown = new ArrayList<>();
        walk(object, type, "", unknown, true);
        return unknown;
    }

    private static void walk(JsonNode value, FieldType type, String path, List<String> unknown, boolean root) {
        if (value instanceof ObjectNode object && type instanceof Struct struct) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                String child = path.isEmpty() ? name : path + "." + name;
                if (root && (name.equals("apiVersion") || name.equals("kind"))) {
                    continue;
                }
                if (!struct.has(name)) {
                    unknown.add(child);
                    fields.remove();
                } else {
                    walk(field.getValue(), struct.field(name).type(), child, unknown, false);
                }
            }
        } else if (value instanceof ObjectNode object && type instanceof MapOf map) {
            object.properties().forEach(e -> walk(e.getValue(), map.values(), path + "." + e.getKey(), unknown, false));
        } else if (value instanceof ArrayNode array && type instanceof ListOf list) {
            for (int i = 0; i < array.size(); i++) {
                walk(array.get(i), list.element(), path + "[" + i + "]", unknown, false);
            }
        }
    }
}
