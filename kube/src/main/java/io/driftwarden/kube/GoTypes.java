package io.driftwarden.kube;

import io.driftwarden.kube.FieldType.Field;
import io.driftwarden.kube.FieldType.ListKind;
import io.driftwarden.kube.FieldType.ListOf;
import io.driftwarden.kube.FieldType.MapOf;
import io.driftwarden.kube.FieldType.Scalar;
import io.driftwarden.kube.FieldType.Struct;
import io.driftwarden.kube.FieldType.Untyped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kubernetes' built-in types read from its Go sources (the bundled {@code k8s-go-types.json}, see its SOURCE.md).
 * A Go type string in a package ({@code []ContainerPort} in {@code core/v1}, {@code *metav1.LabelSelector},
 * {@code map[string]string}) becomes a {@link FieldType}; a field's markers choose the list kind and map type.
 */
final class GoTypes {

    private static final String RESOURCE = "k8s-go-types.json";
    /** An import alias such as {@code corev1}, {@code v1}, {@code batchv1}: an optional group and a version. */
    private static final Pattern ALIAS = Pattern.compile("([a-z]*?)(v\\d+(?:(?:alpha|beta)\\d+)?)");
    private static final Map<String, FieldType> META_SCALARS = Map.of(
            "Time", Scalar.STRING, "MicroTime", Scalar.STRING, "Duration", Scalar.STRING, "FieldsV1", Untyped.INSTANCE);

    private final Map<String, String> packageOfApiVersion = new HashMap<>();
    private final JsonNode kinds;
    private final JsonNode types;
    private final JsonNode aliases;
    private final JsonNode typeMarkers;
    private final Map<String, Struct> structs = new ConcurrentHashMap<>();

    private GoTypes(JsonNode root) {
        root.path("apiVersions").properties().forEach(e -> packageOfApiVersion.put(e.getValue().asString(), e.getKey()));
        this.kinds = root.path("kinds");
        this.types = root.path("types");
        this.aliases = root.path("aliases");
        this.typeMarkers = root.path("typeMarkers");
    }

    static GoTypes bundled() {
        try (InputStream in = GoTypes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new GoTypes(JsonMapper.builder().build().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The root type of a served kind ({@code apps/v1}, {@code Deployment}), or null when Kubernetes has no such kind. */
    Struct kind(String apiVersion, String kind) {
        String pkg = packageOfApiVersion.get(apiVersion);
        if (pkg == null || !kinds.has(pkg + "." + kind)) {
            return null;
        }
        return struct(pkg, kind);
    }

    /** The fields of a declared struct type ({@code core/v1.PodSpec}), or null. */
    JsonNode declaration(String id) {
        return types.get(id);
    }

    /** The Go type a named non-struct type stands for ({@code core/v1.ResourceList} → {@code map[ResourceName]resource.Quantity}), or null. */
    String alias(String id) {
        JsonNode target = aliases.get(id);
        return target == null ? null : target.asString();
    }

    /** Whether the declared type ({@code meta/v1.LabelSelector}) is marked {@code +structType=atomic} on the type itself. */
    boolean atomicStruct(String id) {
        return typeMarkers.path(id).path("structType").asString("").equals("atomic");
    }

    /** The Go package of an apiVersion ({@code rbac.authorization.k8s.io/v1} → {@code rbac/v1}), or null. */
    String packageOf(String apiVersion) {
        return packageOfApiVersion.get(apiVersion);
    }

    /** Every kind the types mark as served, in the order the types list them. */
    List<ServedKind> servedKinds() {
        List<ServedKind> served = new ArrayList<>();
        Map<String, String> apiVersionOfPackage = new HashMap<>();
        packageOfApiVersion.forEach((apiVersion, pkg) -> apiVersionOfPackage.put(pkg, apiVersion));
        for (Map.Entry<String, JsonNode> declared : kinds.properties()) {
            String[] id = declared.getKey().split("\\.", 2);
            List<String> markers = new ArrayList<>();
            declared.getValue().path("markers").forEach(m -> markers.add(m.asString()));
            served.add(new ServedKind(apiVersionOfPackage.get(id[0]), id[1], declared.getValue().path("namespaced").asBoolean(true),
                    markers, struct(id[0], id[1])));
        }
        return served;
    }

    /** Whether a served kind is namespaced; null when unknown. */
    Boolean namespaced(String apiVersion, String kind) {
        String pkg = packageOfApiVersion.get(apiVersion);
        JsonNode declared = pkg == null ? null : kinds.get(pkg + "." + kind);
        return declared == null ? null : declared.path("namespaced").asBoolean(true);
    }

    private Struct struct(String pkg, String name) {
        return structs.computeIfAbsent(pkg + "." + name, id -> new Struct(id, false, () -> fields(pkg, types.get(id))));
    }

    private Map<String, Field> fields(String pkg, JsonNode declared) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : declared.properties()) {
            JsonNode field = entry.getValue();
            if (field.path("inline").asBoolean(false)) {
                if (type(field.path("go").asString(), pkg) instanceof Struct embedded && !embedded.name().endsWith(".TypeMeta")) {
                    String[] id = embedded.name().split("\\.", 2);
                    fields.putAll(fields(id[0], types.get(embedded.name())));
                }
                continue;
            }
            fields.put(entry.getKey(), new Field(withMarkers(type(field.path("go").asString(), pkg), field),
                    !field.path("pointer").asBoolean(false),
                    !field.path("pointer").asBoolean(false) && field.path("omitempty").asBoolean(false),
                    field.path("patchStrategy").asString(""),
                    field.path("patchMergeKey").asString("")));
        }
        return fields;
    }

    /** Applies a field's markers: list type and keys, atomic maps and structs. */
    private static FieldType withMarkers(FieldType type, JsonNode field) {
        if (type instanceof ListOf list) {
            String listType = field.path("listType").asString("");
            List<String> keys = new ArrayList<>();
            field.path("listMapKeys").forEach(k -> keys.add(k.asString()));
            boolean mergeStrategy = field.path("patchStrategy").asString("").contains("merge");
            if (listType.equals("map") || (listType.isEmpty() && mergeStrategy && field.has("patchMergeKey"))) {
                if (keys.isEmpty()) {
                    keys.add(field.path("patchMergeKey").asString());
                }
                return new ListOf(list.element(), ListKind.MAP, keys);
            }
            if (listType.equals("set") || (listType.isEmpty() && mergeStrategy && list.element() instanceof Scalar)) {
                return new ListOf(list.element(), ListKind.SET, List.of());
            }
            return list;
        }
        if (type instanceof MapOf map && field.path("mapType").asString("").equals("atomic")) {
            return new MapOf(map.values(), true);
        }
        if (type instanceof Struct struct && field.path("structType").asString("").equals("atomic")) {
            return struct.asAtomic();
        }
        return type;
    }

    /** The type a Go type string names, in the package {@code pkg} ({@code core/v1}). */
    FieldType type(String go, String pkg) {
        String t = go.startsWith("*") ? go.substring(1) : go;
        if (t.equals("[]byte")) {
            return Scalar.BYTES;
        }
        if (t.startsWith("[]")) {
            return new ListOf(type(t.substring(2), pkg), ListKind.ATOMIC, List.of());
        }
        if (t.startsWith("map[")) {
            int close = matchingBracket(t, 3);
            return new MapOf(type(t.substring(close + 1), pkg), false);
        }
        switch (t) {
            case "string":
                return Scalar.STRING;
            case "bool":
                return Scalar.BOOLEAN;
            case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
                return Scalar.NUMBER;
            default:
                break;
        }
        int dot = t.indexOf('.');
        if (dot < 0) {
            return named(pkg, t);
        }
        String qualifier = t.substring(0, dot);
        String name = t.substring(dot + 1);
        switch (qualifier) {
            case "resource":
                return name.equals("Quantity") ? Scalar.QUANTITY : Untyped.INSTANCE;
            case "intstr":
                return Scalar.INT_OR_STRING;
            case "runtime":
                return Untyped.INSTANCE;
            case "types", "apimachinerytypes":
                return Scalar.STRING;
            case "metav1":
                return named("meta/v1", name);
            default:
                return named(importedPackage(qualifier, name, pkg), name);
        }
    }

    /** Which package an import alias points to: {@code corev1} → core/v1; a bare {@code v1} is core, this group's, or meta. */
    String importedPackage(String qualifier, String name, String pkg) {
        Matcher alias = ALIAS.matcher(qualifier);
        if (!alias.matches()) {
            return "";
        }
        String group = alias.group(1);
        String version = alias.group(2);
        List<String> candidates = group.isEmpty() || group.equals("api")
                ? List.of("core/" + version, pkg.substring(0, pkg.indexOf('/')) + "/" + version, "meta/" + version)
                : List.of(group + "/" + version);
        for (String candidate : candidates) {
            if (!candidate.equals(pkg) && (types.has(candidate + "." + name) || aliases.has(candidate + "." + name))) {
                return candidate;
            }
        }
        return "";
    }

    private FieldType named(String pkg, String name) {
        if (pkg.equals("meta/v1") && META_SCALARS.containsKey(name)) {
            return META_SCALARS.get(name);
        }
        String id = pkg + "." + name;
        if (types.has(id)) {
            return struct(pkg, name);
        }
        if (aliases.has(id)) {
            return type(aliases.get(id).asString(), pkg);
        }
        return Untyped.INSTANCE;
    }

    static int matchingBracket(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            if (text.charAt(i) == '[') {
                depth++;
            } else if (text.charAt(i) == ']' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced Go type " + text);
    }
}
