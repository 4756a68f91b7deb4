package io.driftwarden.kube;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAPI v3 schemas of built-in kinds, written from Kubernetes' Go types (the same data the differ reads), under
 * the definition names a cluster's {@code /openapi/v3} uses ({@code io.k8s.api.apps.v1.Deployment}). Each property
 * carries the Kubernetes extensions clients read: {@code x-kubernetes-list-type}, {@code -list-map-keys},
 * {@code -map-type}, {@code -patch-strategy}, {@code -patch-merge-key}, {@code -int-or-string}; each kind's schema
 * its {@code x-kubernetes-group-version-kind}. A type whose declaration is marked {@code +structType} or {@code +mapType}
 * ({@code LabelSelector}, {@code ObjectReference} … are atomic) carries it as {@code x-kubernetes-map-type} on its
 * definition, as kube-openapi writes it. The types carry no descriptions, so neither do these schemas.
 */
public final class OpenApiDocuments {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    private static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";

    private final GoTypes types;

    OpenApiDocuments(GoTypes types) {
        this.types = types;
    }

    /**
     * {@code components.schemas} for these kinds (all of one group/version): their types and every type they reach,
     * keyed by definition name, sorted.
     */
    public ObjectNode schemas(List<ServedKind> kinds) {
        Map<String, JsonNode> done = new TreeMap<>();
        Deque<String[]> pending = new ArrayDeque<>();
        for (ServedKind kind : kinds) {
            String pkg = types.packageOf(kind.apiVersion());
            ObjectNode schema = struct(pkg, kind.kind(), pending);
            ObjectNode gvk = schema.putArray("x-kubernetes-group-version-kind").addObject();
            gvk.put("group", kind.group()).put("kind", kind.kind()).put("version", kind.version());
            done.put(definition(pkg, kind.kind()), schema);
        }
        while (!pending.isEmpty()) {
            String[] next = pending.pop();
            String name = definition(next[0], next[1]);
            if (!done.containsKey(name)) {
                done.put(name, special(name) != null ? special(name) : struct(next[0], next[1], pending));
            }
        }
        ObjectNode schemas = NODES.objectNode();
        done.forEach(schemas::set);
        return schemas;
    }

    private ObjectNode struct(String pkg, String name, Deque<String[]> pending) {
        ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        addFields(properties, pkg, types.declaration(pkg + "." + name), pending);
        String structType = types.typeMarker(pkg + "." + name, "structType");
        if (!structType.isEmpty()) {
            schema.put("x-kubernetes-map-type", structType);
        }
        return schema;
    }

    private void addFields(ObjectNode properties, String pkg, JsonNode declared, Deque<String[]> pending) {
        if (declared == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> entry : declared.properties()) {
            JsonNode field = entry.getValue();
            String go = field.path("go").asString().replaceFirst("^\\*", "");
            if (field.path("inline").asBoolean(false)) {
                if (go.endsWith("TypeMeta")) {
                    properties.putObject("apiVersion").put("type", "string");
                    properties.putObject("kind").put("type", "string");
                } else {
                    String[] target = resolve(go, pkg);
                    if (target != null) {
                        addFields(properties, target[0], types.declaration(target[0] + "." + target[1]), pending);
                    }
                }
                continue;
            }
            properties.set(entry.getKey(), withMarkers(schema(go, pkg, pending), field));
        }
    }

    private static ObjectNode withMarkers(ObjectNode schema, JsonNode field) {
        boolean isReference = schema.has("$ref");
        ObjectNode target = schema;
        if (isReference && (field.has("patchStrategy") || field.has("structType"))) {
            target = NODES.objectNode();
            target.putArray("allOf").add(schema);
        }
        copy(field, "listType", target, "x-kubernetes-list-type");
        if (field.has("listMapKeys")) {
            target.set("x-kubernetes-list-map-keys", field.get("listMapKeys"));
        }
        copy(field, "mapType", target, "x-kubernetes-map-type");
        copy(field, "structType", target, "x-kubernetes-map-type");
        copy(field, "patchStrategy", target, "x-kubernetes-patch-strategy");
        copy(field, "patchMergeKey", target, "x-kubernetes-patch-merge-key");
        return target;
    }

    private static void copy(JsonNode field, String from, ObjectNode target, String to) {
        if (field.hasNonNull(from)) {
            target.put(to, field.get(from).asString());
        }
    }

    /** The schema of a Go type string used in {@code pkg}. */
    private ObjectNode schema(String go, String pkg, Deque<String[]> pending) {
        String t = go.replaceFirst("^\\*", "");
        ObjectNode schema = NODES.objectNode();
        if (t.equals("[]byte")) {
            return schema.put("type", "string").put("format", "byte");
        }
        if (t.startsWith("[]")) {
            schema.put("type", "array").set("items", schema(t.substring(2), pkg, pending));
            return schema;
        }
        if (t.startsWith("map[")) {
            int close = GoTypes.matchingBracket(t, 3);
            schema.put("type", "object").set("additionalProperties", schema(t.substring(close + 1), pkg, pending));
            return schema;
        }
        switch (t) {
            case "string":
                return schema.put("type", "string");
            case "bool":
                return schema.put("type", "boolean");
            case "int32", "int64":
                return schema.put("type", "integer").put("format", t);
            case "int", "int8", "int16", "uint", "uint8", "uint16", "uint32", "uint64":
                return schema.put("type", "integer");
            case "float32", "float64":
                return schema.put("type", "number").put("format", t.equals("float64") ? "double" : "float");
            default:
                break;
        }
        String[] target = resolve(t, pkg);
        if (target == null) {
            return schema;
        }
        String id = target[0] + "." + target[1];
        String name = definition(target[0], target[1]);
        if (special(name) != null || types.declaration(id) != null) {
            pending.push(target);
            return schema.put("$ref", "#/components/schemas/" + name);
        }
        String alias = types.alias(id);
        if (alias == null) {
            return schema;
        }
        ObjectNode aliased = schema(alias, target[0], pending);
        String mapType = types.typeMarker(id, "mapType");
        if (!mapType.isEmpty() && aliased.has("additionalProperties")) {
            aliased.put("x-kubernetes-map-type", mapType);
        }
        return aliased;
    }

    /** The package and name a Go type string names in {@code pkg}: {@code [apps/v1, DeploymentSpec]}, or null. */
    private String[] resolve(String t, String pkg) {
        int dot = t.indexOf('.');
        if (dot < 0) {
            return new String[] {pkg, t};
        }
        String qualifier = t.substring(0, dot);
        String name = t.substring(dot + 1);
        switch (qualifier) {
            case "resource":
                return new String[] {"resource", name};
            case "intstr":
                return new String[] {"intstr", name};
            case "runtime":
                return new String[] {"runtime", name};
            case "types", "apimachinerytypes":
                return new String[] {"types", name};
            case "metav1":
                return new String[] {"meta/v1", name};
            default:
                String imported = types.importedPackage(qualifier, name, pkg);
                return imported.isEmpty() ? null : new String[] {imported, name};
        }
    }

    /** The apimachinery types with a JSON form of their own. */
    private static ObjectNode special(String name) {
        ObjectNode schema = NODES.objectNode();
        switch (name) {
            case QUANTITY:
                return schema.put("type", "string");
            case INT_OR_STRING:
                return schema.put("type", "string").put("format", "int-or-string").put("x-kubernetes-int-or-string", true);
            case RAW_EXTENSION:
                return schema.put("type", "object");
            case META + "Time", META + "MicroTime":
                return schema.put("type", "string").put("format", "date-time");
            case META + "Duration", "io.k8s.apimachinery.pkg.types.UID", "io.k8s.apimachinery.pkg.types.NodeName":
                return schema.put("type", "string");
            case META + "FieldsV1":
                return schema.put("type", "object");
            default:
                return null;
        }
    }

    private static String definition(String pkg, String name) {
        switch (pkg) {
            case "meta/v1":
                return META + name;
            case "resource":
                return "io.k8s.apimachinery.pkg.api.resource." + name;
            case "intstr":
                return "io.k8s.apimachinery.pkg.util.intstr." + name;
            case "runtime":
                return "io.k8s.apimachinery.pkg.runtime." + name;
            case "types":
                return "io.k8s.apimachinery.pkg.types." + name;
            default:
                return "io.k8s.api." + pkg.replace('/', '.') + "." + name;
        }
    }
}
