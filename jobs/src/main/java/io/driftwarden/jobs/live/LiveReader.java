package io.driftwarden.jobs.live;

import io.driftwarden.jobs.concurrent.Futures;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.resource.ResourceKey.ListGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.OperationInfo;
import io.fabric8.kubernetes.client.dsl.internal.OperationSupport;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

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

    /** Decodes LIST pages into trees; plain Jackson, as the differ reads them. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Every object of every group, by key. A kind the server does not serve (404) reads as empty. The groups' LISTs
     * are sent at once, each under the cluster's {@link Requests} policy (so at most its requests in flight, shared
     * with the other bindings), instead of one after another: a binding of many kinds waits about one round trip.
     */
    public Map<ResourceKey, JsonNode> read(Clusters.Cluster cluster, Set<ListGroup> groups) {
        Map<ListGroup, CompletableFuture<List<JsonNode>>> lists = new LinkedHashMap<>();
        for (ListGroup group : groups) {
            lists.put(group, Requests.inParallel(() -> list(cluster, group)));
        }
        Map<ResourceKey, JsonNode> live = new HashMap<>();
        for (Map.Entry<ListGroup, CompletableFuture<List<JsonNode>>> entry : lists.entrySet()) {
            ListGroup group = entry.getKey();
            for (JsonNode item : Futures.join(entry.getValue())) {
                JsonNode metadata = item.path("metadata");
                String namespace = group.namespace().isEmpty() ? "" : metadata.path("namespace").asString("");
                live.put(ResourceKey.of(group.apiVersion(), group.kind(), namespace, metadata.path("name").asString("")), item);
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
    private static List<JsonNode> list(Clusters.Cluster cluster, ListGroup group) {
        try {
            // a list shared by the cluster's bindings: each binding gets its own copies of the objects it reads
            if (group.namespace().isEmpty()) {
                return cluster.clusterWide(group, () -> listAll(cluster, group)).stream().map(JsonNode::deepCopy).toList();
            }
            if (cluster.listByLabel()) {
                ListGroup everywhere = new ListGroup(group.apiVersion(), group.kind(), ALL_NAMESPACES);
                return cluster.clusterWide(everywhere, () -> listAll(cluster, everywhere)).stream()
                        .filter(item -> group.namespace().equals(item.path("metadata").path("namespace").asString("")))
                        .map(JsonNode::deepCopy).toList();
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
    private static List<JsonNode> listAll(Clusters.Cluster cluster, ListGroup group) {
        List<JsonNode> all = new ArrayList<>();
        String token = null;
        do {
            String continueFrom = token;
            ListPage page = cluster.call(() -> page(cluster, group, continueFrom));
            all.addAll(page.items());
            token = page.next();
        } while (token != null && !token.isEmpty());
        return List.copyOf(all);
    }

    /** One page of a LIST: its objects and the {@code continue} token of the next page (null or empty at the end). */
    private record ListPage(List<JsonNode> items, String next) {

        static final ListPage EMPTY = new ListPage(List.of(), null);
    }

    /**
     * One LIST request, sent through the cluster's own HTTP client (its TLS, authentication, timeouts and interceptors,
     * as fabric8's typed {@code list} sends it) and decoded once, straight into Jackson trees: no typed
     * {@code GenericKubernetesResource} per object converted back into a tree ({@code valueToTree}), which made two
     * copies of every page and kept fabric8's typed model code hot for the JIT (README, "Issue 24: the steady path"). A
     * failure is the {@link KubernetesClientException} fabric8's own {@code list} raises: the HTTP status with the
     * server's {@code Status}, or the I/O failure as its cause.
     */
    private static ListPage page(Clusters.Cluster cluster, ListGroup group, String continueFrom) {
        URL url;
        try {
            url = listUrl(cluster, group, continueFrom);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return ListPage.EMPTY;
            }
            throw e;
        }
        KubernetesClient client = cluster.client();
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder().url(url)
                .timeout(client.getConfiguration().getRequestTimeout(), TimeUnit.MILLISECONDS).build();
        HttpResponse<byte[]> response;
        try {
            response = http.sendAsync(request, byte[].class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OperationSupport.requestException(request, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof KubernetesClientException known ? known : OperationSupport.requestException(request, cause, null);
        }
        if (response.code() == 404) {
            return ListPage.EMPTY;
        }
        if (!response.isSuccessful()) {
            throw OperationSupport.requestFailure(request, OperationSupport.createStatus(response, client.getKubernetesSerialization()));
        }
        JsonNode list;
        try {
            list = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw OperationSupport.requestException(request, e);
        }
        List<JsonNode> items = new ArrayList<>(list.path("items").size());
        boolean labelled = group.namespace().equals(ALL_NAMESPACES);
        for (JsonNode item : list.path("items")) {
            // every binding's objects in every namespace, by the label each binding puts on what it applies
            if (item instanceof ObjectNode object
                    && (!labelled || object.path("metadata").path("labels").has(Renderer.BINDING_LABEL))) {
                items.add(typed(object, group));
            }
        }
        return new ListPage(items, list.path("metadata").path("continue").asString(null));
    }

    /**
     * A list's item with its {@code apiVersion} and {@code kind} (a real API server leaves them out of a list's items),
     * as fabric8 fills them in.
     */
    private static JsonNode typed(ObjectNode item, ListGroup group) {
        String apiVersion = item.path("apiVersion").asString("");
        String kind = item.path("kind").asString("");
        if (!apiVersion.isEmpty() && !kind.isEmpty()) {
            return item;
        }
        ObjectNode typed = JSON.createObjectNode().put("apiVersion", apiVersion.isEmpty() ? group.apiVersion() : apiVersion)
                .put("kind", kind.isEmpty() ? group.kind() : kind);
        item.properties().forEach(field -> {
            if (!typed.has(field.getKey())) {
                typed.set(field.getKey(), field.getValue());
            }
        });
        return typed;
    }

    /**
     * The URL of a LIST of the group: the kind's path as the cluster serves it (fabric8 knows the built-in kinds; a
     * custom one by discovery or by a binding's CustomResourceDefinition), with {@code continue}, the binding label's
     * selector for a list across all namespaces, and {@code limit} (in that order, as fabric8 writes them).
     */
    private static URL listUrl(Clusters.Cluster cluster, ListGroup group, String continueFrom) {
        OperationInfo kind = (OperationInfo) cluster.resources(group.apiVersion(), group.kind());
        List<String> parts = new ArrayList<>(List.of(cluster.client().getMasterUrl().toString()));
        String apiGroup = kind.getGroup();
        if (apiGroup == null || apiGroup.isEmpty()) {
            parts.addAll(List.of("api", kind.getVersion()));
        } else {
            parts.addAll(List.of("apis", apiGroup, kind.getVersion()));
        }
        if (!group.namespace().isEmpty() && !group.namespace().equals(ALL_NAMESPACES)) {
            parts.addAll(List.of("namespaces", group.namespace()));
        }
        parts.add(kind.getPlural());
        URLUtils.URLBuilder url = new URLUtils.URLBuilder(URLUtils.join(parts.toArray(String[]::new)));
        if (continueFrom != null) {
            url.addQueryParameter("continue", continueFrom);
        }
        if (group.namespace().equals(ALL_NAMESPACES)) {
            url.addQueryParameter("labelSelector", Renderer.BINDING_LABEL);
        }
        return url.addQueryParameter("limit", Long.toString(PAGE)).build();
    }
}
