package io.driftwarden.jobs.schema;

import io.driftwarden.jobs.schema.FieldType.Struct;
import io.driftwarden.jobs.schema.FieldType.Untyped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Finds the type of a kind: Kubernetes' built-in kinds from its Go types, custom kinds from the CRDs this
 * instance was given; anything else is {@link Untyped}. Immutable; {@link #withCrds} returns a new one.
 */
public final class Schemas {

    private static final Schemas BUILTIN = new Schemas(GoTypes.bundled(), Map.of());

    private final GoTypes goTypes;
    private final Map<String, FieldType> custom;

    private Schemas(GoTypes goTypes, Map<String, FieldType> custom) {
        this.goTypes = goTypes;
        this.custom = Map.copyOf(custom);
    }

    /** Kubernetes' built-in kinds only. */
    public static Schemas builtin() {
        return BUILTIN;
    }

    /** These schemas plus the kinds each CustomResourceDefinition in {@code objects} declares (others are skipped). */
    public Schemas withCrds(Iterable<JsonNode> objects) {
        Map<String, FieldType> added = new HashMap<>(custom);
        for (JsonNode crd : objects) {
            if (!crd.path("kind").asString("").equals("CustomResourceDefinition")) {
                continue;
            }
            String group = crd.path("spec").path("group").asString("");
            String kind = crd.path("spec").path("names").path("kind").asString("");
            for (JsonNode version : crd.path("spec").path("versions")) {
                JsonNode schema = version.path("schema").path("openAPIV3Schema");
                String apiVersion = group + "/" + version.path("name").asString("");
                added.put(apiVersion + "." + kind, OpenApiTypes.type(schema, apiVersion + "." + kind));
            }
        }
        return added.equals(custom) ? this : new Schemas(goTypes, added);
    }

    /** The type of objects of this kind; {@link Untyped} when neither Kubernetes nor a known CRD declares it. */
    public FieldType kind(String apiVersion, String kind) {
        Struct builtin = goTypes.kind(apiVersion, kind);
        if (builtin != null) {
            return builtin;
        }
        return custom.getOrDefault(apiVersion + "." + kind, Untyped.INSTANCE);
    }

    /** The kinds Kubernetes serves, from its Go types (CRDs not included). */
    public List<ServedKind> servedKinds() {
        return goTypes.servedKinds();
    }

    /** OpenAPI v3 schemas of the built-in kinds, from the same Go types. */
    public OpenApiDocuments openApi() {
        return new OpenApiDocuments(goTypes);
    }

    /** Whether the kind is known to these schemas (built in or from a CRD). */
    public boolean knows(String apiVersion, String kind) {
        return goTypes.kind(apiVersion, kind) != null || custom.containsKey(apiVersion + "." + kind);
    }
}
