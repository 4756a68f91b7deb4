package io.driftwarden.jobs.live;

import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.resource.ResourceKey.ListGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads what a cluster holds for a set of list groups: one LIST request per group; a cluster-scoped kind (the
 * Namespaces every binding reads) once per cluster per run, shared by the bindings, until one of them writes it.
 */
public final class LiveReader {

    /** Every object of every group, by key. A kind the server does not serve (404) reads as empty. */
    public Map<ResourceKey, JsonNode> read(Clusters.Cluster cluster, Set<ListGroup> groups) {
        Map<ResourceKey, JsonNode> live = new HashMap<>();
        for (ListGroup group : groups) {
            GenericKubernetesResourceList list;
            try {
                list = group.namespace().isEmpty() ? cluster.clusterWide(group, () -> cluster.call(() -> list(cluster, group)))
                        : cluster.call(() -> list(cluster, group));
            } catch (KubernetesClientException e) {
                throw new KubernetesClientException("cannot list " + group.kind() + " (" + group.apiVersion() + ")"
                        + (group.namespace().isEmpty() ? "" : " in namespace " + group.namespace()) + ": " + e.getMessage(), e);
            }
            for (GenericKubernetesResource item : list.getItems()) {
                String namespace = group.namespace().isEmpty() ? "" : item.getMetadata().getNamespace();
                ResourceKey key = ResourceKey.of(group.apiVersion(), group.kind(), namespace, item.getMetadata().getName());
                live.put(key, Serialization.jsonMapper().valueToTree(item));
            }
        }
        return live;
    }

    private static GenericKubernetesResourceList list(Clusters.Cluster cluster, ListGroup group) {
        try {
            var resources = cluster.resources(group.apiVersion(), group.kind());
            return group.namespace().isEmpty() ? resources.list() : resources.inNamespace(group.namespace()).list();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return new GenericKubernetesResourceList();
            }
            throw e;
        }
    }
}
