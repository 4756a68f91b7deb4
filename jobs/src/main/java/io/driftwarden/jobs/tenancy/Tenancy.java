package io.driftwarden.jobs.tenancy;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.kube.KindScopes;
import io.driftwarden.kube.KindScopes.Scope;
import io.driftwarden.kube.Schemas;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The one gate every write and every delete passes — server-side apply, replace, the removal patch, namespace creation
 * and prune — before anything is sent. A binding may not write or delete: a kind in {@code denyKinds} (default
 * ClusterRole and ClusterRoleBinding); any binding to the {@code cluster-admin} ClusterRole; an object of a kind whose
 * scope no data establishes (Go types, a CRD, the cluster's discovery); a namespaced object outside its
 * {@code allowNamespaces}; a cluster-scoped kind outside its {@code allowClusterKinds} — its own Namespace excepted, and
 * that only with driftwarden's two labels unless {@code Namespace} is allowed; an object another binding's
 * {@code driftwarden.io/binding} label owns; and an existing cluster-scoped object that does not carry this binding's
 * label, unless the binding says {@code adopt: true}. Reading and diffing are never limited.
 */
public final class Tenancy {

    private static final List<String> ROLE_BINDINGS = List.of("RoleBinding", "ClusterRoleBinding");
    private static final String NAMESPACE = "Namespace";

    /** A write (apply, replace, removal patch) or a delete of one object, as the gate sees it. */
    public record Request(ResourceKey key, JsonNode manifest, JsonNode live, boolean delete) {

        /** Writing {@code object} (Git's manifest) over {@code live} (null: it does not exist). */
        public static Request write(DesiredObject object, JsonNode live) {
            return new Request(object.key(), object.manifest(), live, false);
        }

        /** Deleting {@code live}, which Git no longer declares. */
        public static Request delete(ResourceKey key, JsonNode live) {
            return new Request(key, live, live, true);
        }
    }

    private Tenancy() {
    }

    /**
     * Each write of {@code desired} and delete of {@code extras} the binding may not make, with the reason ({@code file:line}
     * or where the extra came from, first). {@code denyKinds} is the config's; {@code scopes} says where each kind lives.
     */
    public static Map<ResourceKey, String> refusals(BindingSpec binding, Set<String> denyKinds, KindScopes scopes,
                                                    Collection<DesiredObject> desired, Collection<Drift> extras,
                                                    Map<ResourceKey, JsonNode> live) {
        Map<ResourceKey, String> refused = new LinkedHashMap<>();
        for (DesiredObject object : desired) {
            String reason = reason(binding, denyKinds, scopes, Request.write(object, live.get(object.key())));
            if (reason != null) {
                refused.put(object.key(), object.origin() + ": " + object.key().subject() + " refused: " + reason);
            }
        }
        for (Drift extra : extras) {
            String reason = reason(binding, denyKinds, scopes, Request.delete(extra.key(), live.get(extra.key())));
            if (reason != null) {
                refused.put(extra.key(), extra.key().subject() + " (" + extra.desired().origin() + ") not deleted: " + reason);
            }
        }
        return refused;
    }

    /**
     * The CustomResourceDefinitions among {@code desired} the binding may write. Only these may tell the scope of, or
     * route requests for, the kinds they define: a definition the gate refuses changes nothing. {@code served} knows the
     * definitions' own kind (cluster-scoped).
     */
    public static List<DesiredObject> writableDefinitions(BindingSpec binding, Set<String> denyKinds, KindScopes served,
                                                          Collection<DesiredObject> desired, Map<ResourceKey, JsonNode> live) {
        return desired.stream()
                .filter(d -> d.key().kind().equals("CustomResourceDefinition") && d.key().group().equals("apiextensions.k8s.io"))
                .filter(d -> reason(binding, denyKinds, served, Request.write(d, live.get(d.key()))) == null)
                .toList();
    }

    /** Why the binding may not make {@code request}, or null when it may. */
    public static String reason(BindingSpec binding, Set<String> denyKinds, KindScopes scopes, Request request) {
        ResourceKey key = request.key();
        if (denyKinds.contains(key.kind())) {
            return "kind " + key.kind() + " is denied to every binding (denyKinds)";
        }
        JsonNode roleRef = request.manifest() == null ? null : request.manifest().path("roleRef");
        if (roleRef != null && key.group().equals("rbac.authorization.k8s.io") && ROLE_BINDINGS.contains(key.kind())
                && roleRef.path("kind").asString("").equals("ClusterRole") && roleRef.path("name").asString("").equals("cluster-admin")) {
            return "a binding to the cluster-admin ClusterRole is never written";
        }
        Scope scope = scopes.scope(key.apiVersion(), key.kind());
        if (scope == Scope.UNKNOWN) {
            return "the scope of " + key.apiVersion() + " " + key.kind() + " cannot be established: it is not a built-in kind, no "
                    + "CustomResourceDefinition in this binding declares it, and the cluster does not serve it (is its "
                    + "CustomResourceDefinition installed?)";
        }
        if (scope == Scope.NAMESPACED && !binding.allowNamespaces().contains(key.namespace())) {
            return "namespace " + key.namespace() + " is outside binding " + binding.name() + "'s allowNamespaces "
                    + binding.allowNamespaces();
        }
        if (scope == Scope.CLUSTER && !key.namespace().isEmpty()) {
            return key.kind() + " is cluster-scoped and takes no namespace";
        }
        if (scope == Scope.CLUSTER) {
            String clusterScoped = clusterScoped(binding, request);
            if (clusterScoped != null) {
                return clusterScoped;
            }
        }
        String owner = labelOf(request.live());
        if (!owner.isEmpty() && !owner.equals(binding.name())) {
            return "binding " + owner + " owns it (its " + Renderer.BINDING_LABEL + " label); two bindings must not fight over one object";
        }
        return null;
    }

    /** A cluster-scoped kind: allowed kinds only (or the own Namespace, kept to driftwarden's labels), and no take-over. */
    private static String clusterScoped(BindingSpec binding, Request request) {
        ResourceKey key = request.key();
        boolean kindAllowed = allowsClusterKind(binding, key);
        if (!kindAllowed && !isOwnNamespace(binding, key)) {
            return "cluster-scoped " + key.kind() + " is not in binding " + binding.name() + "'s allowClusterKinds "
                    + binding.allowClusterKinds();
        }
        if (!kindAllowed && !request.delete()) {
            String extra = beyondBindingLabels(request.manifest());
            if (extra != null) {
                return "the binding's own Namespace may carry only driftwarden's labels (" + Renderer.MANAGED_BY + ", "
                        + Renderer.BINDING_LABEL + "); " + extra + " needs allowClusterKinds: [Namespace]";
            }
        }
        if (request.live() != null && !labelOf(request.live()).equals(binding.name()) && !binding.adopt()) {
            String owner = labelOf(request.live());
            if (owner.isEmpty()) {
                return "cluster-scoped " + key.subject() + " exists and does not carry " + Renderer.BINDING_LABEL + "=" + binding.name()
                        + ": it is not this binding's to " + (request.delete() ? "delete" : "overwrite")
                        + " (set adopt: true on the binding to take it over)";
            }
        }
        return null;
    }

    /**
     * The part of {@code drift} this binding governs. On its own Namespace, when {@code Namespace} is not in its
     * {@code allowClusterKinds}, that is only what Git sets: labels or annotations others put there by hand (a platform
     * team's Pod Security labels) are theirs, never removed by this binding.
     */
    public static Drift governed(BindingSpec binding, Drift drift) {
        if (!isOwnNamespace(binding, drift.key()) || allowsClusterKind(binding, drift.key()) || drift.liveOnly().isEmpty()) {
            return drift;
        }
        List<io.driftwarden.jobs.diff.DriftPath> fromGit = drift.details().stream().filter(d -> !d.liveOnly()).toList();
        return fromGit.isEmpty() ? drift.inSync() : new Drift(drift.desired(), drift.type(), fromGit, drift.maskedDiff(), drift.unifiedDiff());
    }

    /**
     * Whether the binding's {@code allowClusterKinds} names the kind of {@code key}: a bare kind ({@code StorageClass})
     * names Kubernetes' own kind of that name only; a custom kind is named with its group ({@code ClusterIssuer.cert-manager.io},
     * as {@code kubectl} names resources), so no group can borrow an allowed kind's name.
     */
    public static boolean allowsClusterKind(BindingSpec binding, ResourceKey key) {
        boolean kubernetesOwn = Schemas.builtin().scope(key.apiVersion(), key.kind()) != Scope.UNKNOWN;
        return kubernetesOwn && binding.allowClusterKinds().contains(key.kind())
                || binding.allowClusterKinds().contains(key.kind() + "." + key.group());
    }

    /** Whether {@code key} is the binding's own Namespace object. */
    public static boolean isOwnNamespace(BindingSpec binding, ResourceKey key) {
        return key.kind().equals(NAMESPACE) && key.group().isEmpty() && key.name().equals(binding.namespace());
    }

    /** The first thing a Namespace manifest sets beyond its name and driftwarden's two labels, or null. */
    private static String beyondBindingLabels(JsonNode manifest) {
        for (var field : manifest.properties()) {
            if (!List.of("apiVersion", "kind", "metadata").contains(field.getKey())) {
                return "field " + field.getKey();
            }
        }
        for (var field : manifest.path("metadata").properties()) {
            if (!List.of("name", "labels").contains(field.getKey())) {
                return "metadata." + field.getKey();
            }
        }
        for (var label : manifest.path("metadata").path("labels").properties()) {
            if (!List.of(Renderer.MANAGED_BY, Renderer.BINDING_LABEL).contains(label.getKey())) {
                return "label " + label.getKey();
            }
        }
        return null;
    }

    private static String labelOf(JsonNode object) {
        return object == null ? "" : object.path("metadata").path("labels").path(Renderer.BINDING_LABEL).asString("");
    }
}
