package io.driftwarden.kube;

import io.driftwarden.kube.FieldType.Struct;
import io.driftwarden.kube.FieldType.Untyped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Finds the type of a kind: Kubernetes' built-in kinds from its Go types, custom kinds from the CRDs this
 * instance was given; anything else is {@link Untyped}. Immutable; {@link #withCrds} returns a new one.
 */
public final class Schemas implements KindScopes {

    /**
     * Kinds served by Kubernetes' own API servers but not part of {@code k8s.io/api} (so not in the Go types data), with
     * the scope their types declare: apiextensions-apiserver {@code pkg/apis/apiextensions/v1/types.go} and kube-aggregator
     * {@code pkg/apis/apiregistration/v1/types.go}, both {@code +genclient:nonNamespaced}.
     */
    private static final Map<String, Scope> OUTSIDE_GO_TYPES = Map.of(
            "apiextensions.k8s.io/v1.CustomResourceDefinition", Scope.CLUSTER,
            "apiregistration.k8s.io/v1.APIService", Scope.CLUSTER);

    private static final Schemas BUILTIN = new Schemas(GoTypes.bundled(), Map.of(), Map.of());

    private final GoTypes goTypes;
    private final Map<String, FieldType> custom;
    private final Map<String, Scope> customScopes;

    private Schemas(GoTypes goTypes, Map<String, FieldType> custom, Map<String, Scope> customScopes) {
        this.goTypes = goTypes;
        this.custom = Map.copyOf(custom);
        this.customScopes = Map.copyOf(customScopes);
    }

    /** Kubernetes' built-in kinds only. */
    public static Schemas builtin() {
        return BUILTIN;
    }

    /** These schemas plus the kinds each CustomResourceDefinition in {@code objects} declares (others are skipped). */
    public Schemas withCrds(Iterable<JsonNode> objects) {
        Map<String, FieldType> added = new HashMap<>(custom);
        Map<String, Scope> scopes = new HashMap<>(customScopes);
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
                scopes.put(apiVersion + "." + kind, crdScope(crd.path("spec").path("scope").asString("")));
            }
        }
        return added.equals(custom) && scopes.equals(customScopes) ? this : new Schemas(goTypes, added, scopes);
    }

    /** A CRD's {@code spec.scope} (required by the API: {@code Namespaced} or {@code Cluster}); anything else is unknown. */
    private static Scope crdScope(String scope) {
        return switch (scope) {
            case "Namespaced" -> Scope.NAMESPACED;
            case "Cluster" -> Scope.CLUSTER;
            default -> Scope.UNKNOWN;
        };
    }

    /**
     * The scope of a kind: Kubernetes' Go types ({@code kinds[…].namespaced}) for built-in kinds, the {@code spec.scope} of a
     * CRD these schemas were given for custom ones; {@link Scope#UNKNOWN} otherwise.
     */
    @Override
    public Scope scope(String apiVersion, String kind) {
        Boolean namespaced = goTypes.namespaced(apiVersion, kind);
        if (namespaced != null) {
            return namespaced ? Scope.NAMESPACED : Scope.CLUSTER;
        }
        return customScopes.getOrDefault(apiVersion + "." + kind, OUTSIDE_GO_TYPES.getOrDefault(apiVersion + "." + kind, Scope.UNKNOWN));
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

    /**
     * Whether a value of this type is owned and replaced as one piece: {@link FieldType#isAtomic()}, or a built-in struct
     * whose type is marked {@code +structType=atomic} ({@code LabelSelector}, {@code ObjectReference}, {@code RoleRef} …).
     */
    public boolean isAtomic(FieldType type) {
        return type.isAtomic() || type instanceof Struct struct && goTypes.atomicStruct(struct.name());
    }

    /** Whether the kind is known to these schemas (built in or from a CRD). */
    public boolean knows(String apiVersion, String kind) {
        return goTypes.kind(apiVersion, kind) != null || custom.containsKey(apiVersion + "." + kind);
    }
}
