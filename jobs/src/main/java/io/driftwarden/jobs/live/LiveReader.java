package io.driftwarden.jobs.live;

import io.driftwarden.jobs.concurrent.Futures;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.resource.ResourceKey.ListGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * Reads what a cluster holds for a set of list groups: one LIST request per group, the groups' at once; a
 * cluster-scoped kind (the Namespaces every binding reads) once per cluster per run, shared by the bindings, until
 * one of them writes it.
 */
public final class LiveReader {

    /** The namespace of a list group that stands for a labelled LIST across all namespaces ({@code listByLabel}). */
    public static final String ALL_NAMESPACES = "*";

    /** Objects per LIST page: kubectl's default chunk size ({@code kubectl get --help}, 1.32: {@code --chunk-size=500}). */
    public static final long PAGE = 500;

    /**
     * Every object of every group, by key. A kind the server does not serve (404) reads as empty. The groups' LISTs
     * are sent at once, each under the cluster's {@link Requests} policy (so at most its requests in flight, shared
     * with the other bindings), instead of one after another: a binding of many kinds waits about one round trip.
     */
    public Map<ResourceKey, JsonNode> read(Clusters.Cluster cluster, Set<ListGroup> groups) {
        Map<ListGroup, CompletableFuture<GenericKubernetesResourceList>> lists = new LinkedHashMap<>();
        for (ListGroup group : groups) {
            lists.put(group, Requests.inParallel(() -> list(cluster, group)));
        }
        Map<ResourceKey, JsonNode> live = new HashMap<>();
        for (Map.Entry<ListGroup, CompletableFuture<GenericKubernetesResourceList>> entry : lists.entrySet()) {
            ListGroup group = entry.getKey();
            for (GenericKubernetesResource item : Futures.join(entry.getValue()).getItems()) {
                String namespace = group.namespace().isEmpty() ? "" : item.getMetadata().getNamespace();
                ResourceKey key = ResourceKey.of(group.apiVersion(), group.kind(), namespace, item.getMetadata().getName());
                live.put(key, Serialization.jsonMapper().valueToTree(item));
            }
        }
        return live;
    }

    /**
     * Everything in {@code namespace}: one LIST per namespaced kind the cluster's discovery lists with the {@code list}
     * verb (the preferred version of each group). Asked only before a Namespace would be pruned, to see what else is in it.
     */
    public Map<ResourceKey, JsonNode> namespaceContents(Clusters.Cluster cluster, String namespace) {
        Set<ListGroup> groups = new java.util.TreeSet<>();
        List<String> apiVersions = new ArrayList<>(List.of("v1"));
        cluster.call(() -> cluster.client().getApiGroups()).getGroups()
                .forEach(group -> apiVersions.add(group.getPreferredVersion().getGroupVersion()));
        for (String apiVersion : apiVersions) {
            APIResourceList resources = cluster.call(() -> cluster.client().getApiResources(apiVersion));
            for (APIResource resource : resources == null ? List.<APIResource>of() : resources.getResources()) {
                if (!resource.getName().contains("/") && Boolean.TRUE.equals(resource.getNamespaced())
                        && resource.getVerbs() != null && resource.getVerbs().contains("list")) {
                    groups.add(new ListGroup(apiVersion, resource.getKind(), namespace));
                }
            }
        }
        return read(cluster, groups);
    }

    /** One group's objects: its own LIST, or its part of a LIST shared across bindings. */
    private static GenericKubernetesResourceList list(Clusters.Cluster cluster, ListGroup group) {
        try {
            if (group.namespace().isEmpty()) {
                return cluster.clusterWide(group, () -> listAll(cluster, group));
            }
            if (cluster.listByLabel()) {
                ListGroup everywhere = new ListGroup(group.apiVersion(), group.kind(), ALL_NAMESPACES);
                GenericKubernetesResourceList labelled = cluster.clusterWide(everywhere, () -> listAll(cluster, everywhere));
                GenericKubernetesResourceList list = new GenericKubernetesResourceList();
                labelled.getItems().stream().filter(item -> group.namespace().equals(item.getMetadata().getNamespace()))
                        .forEach(list.getItems()::add);
                return list;
            }
            return listAll(cluster, group);
        } catch (KubernetesClientException e) {
            throw new KubernetesClientException("cannot list " + group.kind() + " (" + group.apiVersion() + ")"
                    + (group.namespace().isEmpty() ? "" : " in namespace " + group.namespace()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every object of the group, in pages of {@link #PAGE} ({@code limit} / {@code continue}, as kubectl does with
     * its chunk size), each page one request under the cluster's policy. A kind the server does not serve reads as
     * empty.
     */
    private static GenericKubernetesResourceList listAll(Clusters.Cluster cluster, ListGroup group) {
        GenericKubernetesResourceList all = new GenericKubernetesResourceList();
        String token = null;
        do {
            ListOptions options = new ListOptionsBuilder().withLimit(PAGE).withContinue(token).build();
            GenericKubernetesResourceList page = cluster.call(() -> page(cluster, group, options));
            all.getItems().addAll(page.getItems());
            token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());
        return all;
    }

    private static GenericKubernetesResourceList page(Clusters.Cluster cluster, ListGroup group, ListOptions options) {
        try {
            var resources = cluster.resources(group.apiVersion(), group.kind());
            if (group.namespace().equals(ALL_NAMESPACES)) {
                // every binding's objects in every namespace, by the label each binding puts on what it applies
                GenericKubernetesResourceList labelled = resources.inAnyNamespace().withLabel(Renderer.BINDING_LABEL).list(options);
                labelled.getItems().removeIf(item -> item.getMetadata().getLabels() == null
                        || !item.getMetadata().getLabels().containsKey(Renderer.BINDING_LABEL));
                return labelled;
            }
            return group.namespace().isEmpty() ? resources.list(options) : resources.inNamespace(group.namespace()).list(options);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return new GenericKubernetesResourceList();
            }
            throw e;
        }
    }
}
