package io.driftwarden.jobs.prune;

import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.resource.ResourceKey.ListGroup;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Objects in the namespaces a binding manages, of the kinds it manages, that no binding declares or labels: reported,
 * never touched. Left out: what every namespace has (the {@code default} ServiceAccount from kube-controller-manager's
 * serviceaccount controller, the {@code kube-root-ca.crt} ConfigMap from its root-ca-cert-publisher), what a controller
 * owns (any {@code ownerReference}), and a Service's Endpoints (the endpoints controller names them after the Service).
 */
public final class Unmanaged {

    private Unmanaged() {
    }

    /** The unmanaged objects among {@code live} (read for the groups of {@code desired} and more), sorted. */
    public static List<ResourceKey> find(List<DesiredObject> desired, Map<ResourceKey, JsonNode> live) {
        Set<ResourceKey> declared = desired.stream().map(DesiredObject::key).collect(Collectors.toSet());
        Set<ListGroup> managed = ResourceKey.groupsOf(desired).stream().filter(g -> !g.namespace().isEmpty()).collect(Collectors.toSet());
        Set<String> services = live.keySet().stream().filter(k -> k.kind().equals("Service")).map(k -> k.namespace() + "/" + k.name())
                .collect(Collectors.toSet());
        declared.stream().filter(k -> k.kind().equals("Service")).forEach(k -> services.add(k.namespace() + "/" + k.name()));
        return live.entrySet().stream()
                .filter(e -> managed.contains(e.getKey().listGroup()) && !declared.contains(e.getKey()))
                .filter(e -> !e.getValue().path("metadata").path("labels").has(Renderer.BINDING_LABEL))
                .filter(e -> !e.getValue().path("metadata").path("ownerReferences").isArray()
                        || e.getValue().path("metadata").path("ownerReferences").isEmpty())
                .map(Map.Entry::getKey)
                .filter(key -> !everyNamespaceHas(key) && !(key.kind().equals("Endpoints") && services.contains(key.namespace() + "/" + key.name())))
                .sorted()
                .toList();
    }

    /** What every namespace holds from its creation: the {@code default} ServiceAccount and the {@code kube-root-ca.crt} ConfigMap. */
    static boolean everyNamespaceHas(ResourceKey key) {
        return key.kind().equals("ServiceAccount") && key.name().equals("default")
                || key.kind().equals("ConfigMap") && key.name().equals("kube-root-ca.crt");
    }
}
