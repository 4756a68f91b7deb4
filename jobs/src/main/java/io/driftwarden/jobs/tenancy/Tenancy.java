package io.driftwarden.jobs.tenancy;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The objects a binding may not write, with why: a kind in {@code denyKinds} (default ClusterRole and
 * ClusterRoleBinding), any binding to the {@code cluster-admin} ClusterRole, a namespace outside its
 * {@code allowNamespaces} (default: its own), a cluster-scoped kind outside its {@code allowClusterKinds} (its own
 * Namespace is always allowed), and an object whose {@code driftwarden.io/binding} label names another binding (the
 * owner). Reading and diffing are never limited; only writes are.
 */
public final class Tenancy {

    private static final List<String> ROLE_BINDINGS = List.of("RoleBinding", "ClusterRoleBinding");

    private Tenancy() {
    }

    /** Each object of {@code desired} the binding may not write, with the reason (file:line first). */
    public static Map<ResourceKey, String> refusals(BindingSpec binding, DriftwardenConfig config, List<DesiredObject> desired,
                                                    Map<ResourceKey, JsonNode> live) {
        Map<ResourceKey, String> refused = new LinkedHashMap<>();
        for (DesiredObject object : desired) {
            String reason = reason(binding, config, object, live.get(object.key()));
            if (reason != null) {
                refused.put(object.key(), object.origin() + ": " + object.key().subject() + " refused: " + reason);
            }
        }
        return refused;
    }

    private static String reason(BindingSpec binding, DriftwardenConfig config, DesiredObject object, JsonNode live) {
        ResourceKey key = object.key();
        if (config.denyKinds().contains(key.kind())) {
            return "kind " + key.kind() + " is denied to every binding (denyKinds)";
        }
        JsonNode roleRef = object.manifest().path("roleRef");
        if (key.group().equals("rbac.authorization.k8s.io") && ROLE_BINDINGS.contains(key.kind())
                && roleRef.path("kind").asString("").equals("ClusterRole") && roleRef.path("name").asString("").equals("cluster-admin")) {
            return "a binding to the cluster-admin ClusterRole is never written";
        }
        if (!key.namespace().isEmpty() && !binding.allowNamespaces().contains(key.namespace())) {
            return "namespace " + key.namespace() + " is outside binding " + binding.name() + "'s allowNamespaces "
                    + binding.allowNamespaces();
        }
        boolean ownNamespace = key.kind().equals("Namespace") && key.group().isEmpty() && key.name().equals(binding.namespace());
        if (key.namespace().isEmpty() && !ownNamespace && !binding.allowClusterKinds().contains(key.kind())) {
            return "cluster-scoped " + key.kind() + " is not in binding " + binding.name() + "'s allowClusterKinds "
                    + binding.allowClusterKinds();
        }
        String owner = live == null ? "" : live.path("metadata").path("labels").path(Renderer.BINDING_LABEL).asString("");
        if (!owner.isEmpty() && !owner.equals(binding.name())) {
            return "binding " + owner + " owns it (its " + Renderer.BINDING_LABEL + " label); two bindings must not fight over one object";
        }
        return null;
    }
}
