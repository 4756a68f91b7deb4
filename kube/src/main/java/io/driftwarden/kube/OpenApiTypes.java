package io.driftwarden.kube;

import io.driftwarden.kube.FieldType.Field;
import io.driftwarden.kube.FieldType.ListKind;
import io.driftwarden.kube.FieldType.ListOf;
import io.driftwarden.kube.FieldType.MapOf;
import io.driftwarden.kube.FieldType.Scalar;
import io.driftwarden.kube.FieldType.Struct;
import io.driftwarden.kube.FieldType.Untyped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A structural OpenAPI v3 schema (a CRD's {@code openAPIV3Schema}) as a {@link FieldType}, honouring Kubernetes'
 * extensions: {@code x-kubernetes-list-type} and {@code -list-map-keys}, {@code x-kubernetes-map-type},
 * {@code x-kubernetes-int-or-string}, {@code x-kubernetes-preserve-unknown-fields}. A custom resource is stored as
 * the JSON it was sent, so an explicit zero is never the same as an absent field here.
 */
final class OpenApiTypes {

    private OpenApiTypes() {
    }

    static FieldType type(JsonNode schema, String name) {
        if (schema == null || schema.isMissingNode() || schema.isNull()) {
            return Untyped.INSTANCE;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return Scalar.INT_OR_STRING;
        }
        String type = schema.path("type").asString("");
        boolean atomic = schema.path("x-kubernetes-map-type").asString("").equals("atomic");
        switch (type) {
            case "object":
                if (schema.path("properties").isObject() && !schema.path("properties").isEmpty()) {
                    Map<String, Field> fields = new LinkedHashMap<>();
                    schema.path("properties").properties().forEach(p ->
                            fields.put(p.getKey(), new Field(type(p.getValue(), name + "." + p.getKey()), false)));
                    return new Struct(name, atomic, () -> fields);
                }
                if (schema.path("additionalProperties").isObject()) {
                    return new MapOf(type(schema.get("additionalProperties"), name + "[]"), atomic);
                }
                return Untyped.INSTANCE;
            case "array":
                return list(schema, name);
            case "string":
                return Scalar.STRING;
            case "integer", "number":
                return Scalar.NUMBER;
            case "boolean":
                return Scalar.BOOLEAN;
            default:
                return Untyped.INSTANCE;
        }
    }

    private static FieldType list(JsonNode schema, String name) {
        FieldType element = type(schema.get("items"), name + "[]");
        switch (schema.path("x-kubernetes-list-type").asString("atomic")) {
            case "map":
                List<String> keys = new ArrayList<>();
                schema.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asString()));
                return keys.isEmpty() ? new ListOf(element, ListKind.ATOMIC, List.of()) : new ListOf(element, ListKind.MAP, keys);
            case "set":
                return new ListOf(element, ListKind.SET, List.of());
            default:
                return new ListOf(element, ListKind.ATOMIC, List.of());
        }
    }
}
