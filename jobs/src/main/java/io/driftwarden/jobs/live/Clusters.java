package io.driftwarden.jobs.live;

import io.driftwarden.config.ClusterSpec;
import io.driftwarden.jobs.concurrent.OncePerKey;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.kube.KindScopes;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The clients of one run, one per cluster, each with its {@link Requests} policy (requests in flight, retries,
 * unreachable cut-off) shared by every binding that targets it. Close it at the end of the run.
 */
public final class Clusters implements AutoCloseable {

    /** Kubernetes' rules for an API group (a DNS-1123 subdomain) and a resource's plural or a version (a DNS-1123 label). */
    private static final java.util.regex.Pattern DNS_SUBDOMAIN = java.util.regex.Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final OncePerKey<String, Cluster> clusters = new OncePerKey<>();

    /**
     * Starts building the clients of {@code specs} on threads of their own (no request is sent), so that a run's
     * first binding finds its client ready instead of waiting while the HTTP stack loads; the run calls this while its
     * job starts.
     */
    public Clusters prepare(Collection<ClusterSpec> specs) {
        specs.forEach(spec -> clusters.ahead(spec.name(), "connect-" + spec.name(), () -> create(spec)));
        return this;
    }

    /**
     * A cluster's client and its request policy, created on first use (or by {@link #prepare}); one that cannot be
     * created (say, its kubeconfig is not readable) fails every binding on it the same way.
     */
    public Cluster connect(ClusterSpec spec) {
        return clusters.get(spec.name(), () -> create(spec));
    }

    private static Cluster create(ClusterSpec spec) {
        Requests requests = new Requests(spec.name(), spec.maxInFlight());
        return new Cluster(spec.name(), client(spec, requests), requests, new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
                spec.listByLabel(), new ConcurrentHashMap<>());
    }

    /**
     * A fabric8 client with the cluster's request timeout for each attempt (and to connect), its own retries off
     * ({@link Requests} retries), and {@code Retry-After} answers reported to the policy.
     */
    private static KubernetesClient client(ClusterSpec spec, Requests requests) {
        Config config;
        if (spec.inCluster()) {
            config = Config.autoConfigure(null);
        } else {
            if (!Files.isReadable(spec.kubeconfig())) {
                throw new IllegalStateException("cluster " + spec.name() + ": kubeconfig " + spec.kubeconfig() + " is not readable");
            }
            config = Config.fromKubeconfig(spec.context(), spec.kubeconfig().toFile());
        }
        config.setRequestTimeout(Math.toIntExact(spec.requestTimeout().toMillis()));
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(http -> http.connectTimeout(spec.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .addOrReplaceInterceptor("driftwarden-retry-after", requests.retryAfter()))
                .build();
    }

    @Override
    public void close() {
        clusters.made().forEach(cluster -> cluster.client().close());
    }

    /**
     * A connected cluster. Send every request through {@link #call}. {@code customKinds} are the kinds of the
     * CustomResourceDefinitions bindings declare, by {@code apiVersion/kind}, reachable before discovery lists them;
     * {@code discovered} holds what the cluster's discovery said of each group version asked (kind → namespaced).
     */
    public record Cluster(String name, KubernetesClient client, Requests requests, Map<String, ResourceDefinitionContext> customKinds,
                          Map<ResourceKey.ListGroup, List<JsonNode>> clusterWideLists, boolean listByLabel,
                          Map<String, Map<String, Boolean>> discovered) {

        /**
         * The scope of kinds as this cluster's discovery ({@code /apis/GROUP/VERSION}) states it: one request per group version
         * per run, only for kinds neither the Go types nor a binding's CRDs know. A group version the cluster does not serve
         * leaves its kinds {@link KindScopes.Scope#UNKNOWN}.
         */
        public KindScopes discovery() {
            return (apiVersion, kind) -> {
                Boolean namespaced = discovered.computeIfAbsent(apiVersion, this::discover).get(kind);
                if (namespaced == null) {
                    return KindScopes.Scope.UNKNOWN;
                }
                return namespaced ? KindScopes.Scope.NAMESPACED : KindScopes.Scope.CLUSTER;
            };
        }

        private Map<String, Boolean> discover(String apiVersion) {
            APIResourceList resources;
            try {
                resources = call(() -> client.getApiResources(apiVersion));
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return Map.of();
                }
                throw e;
            }
            Map<String, Boolean> kinds = new java.util.HashMap<>();
            if (resources != null) {
                for (APIResource resource : resources.getResources()) {
                    if (!resource.getName().contains("/")) { // subresources (deployments/scale) name other kinds
                        kinds.put(resource.getKind(), Boolean.TRUE.equals(resource.getNamespaced()));
                    }
                }
            }
            return kinds;
        }

        /**
         * A cluster-scoped kind's LIST, sent once per run and shared by every binding on this cluster (each binding
         * reads the Namespaces), until a write of that kind makes it stale ({@link #wrote}). The bindings share its
         * objects: copy one before changing it.
         */
        public List<JsonNode> clusterWide(ResourceKey.ListGroup group, Supplier<List<JsonNode>> list) {
            return clusterWideLists.computeIfAbsent(group, g -> list.get());
        }

        /** After a write of {@code key}: a shared LIST of its kind is read again by the next binding that needs it. */
        public void wrote(ResourceKey key) {
            ResourceKey.ListGroup group = key.listGroup();
            clusterWideLists.remove(new ResourceKey.ListGroup(group.apiVersion(), group.kind(), ""));
            clusterWideLists.remove(new ResourceKey.ListGroup(group.apiVersion(), group.kind(), LiveReader.ALL_NAMESPACES));
        }


        /**
         * Remembers the custom kinds the CustomResourceDefinitions among {@code manifests} declare, so their objects are
         * reachable in the run that creates them, before the cluster's discovery lists them. Give it only definitions
         * the binding may write: a definition's group, plural and kind become request paths. One whose group is not a DNS
         * subdomain or whose plural is not a DNS label (Kubernetes' own rules for them) is skipped.
         */
        public void declare(Iterable<? extends JsonNode> manifests) {
            for (JsonNode crd : manifests) {
                if (!crd.path("kind").asString("").equals("CustomResourceDefinition")) {
                    continue;
                }
                JsonNode spec = crd.path("spec");
                String group = spec.path("group").asString("");
                String plural = spec.path("names").path("plural").asString("");
                if (!DNS_SUBDOMAIN.matcher(group).matches() || !DNS_LABEL.matcher(plural).matches()) {
                    continue;
                }
                for (JsonNode version : spec.path("versions")) {
                    ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
                            .withGroup(group).withVersion(version.path("name").asString(""))
                            .withKind(spec.path("names").path("kind").asString("")).withPlural(plural)
                            .withNamespaced(!spec.path("scope").asString("Namespaced").equals("Cluster")).build();
                    if (DNS_LABEL.matcher(context.getVersion()).matches()) {
                        customKinds.put(group + "/" + context.getVersion() + "/" + context.getKind(), context);
                    }
                }
            }
        }

        /**
         * The cluster's objects of a kind, routed by what the cluster serves (fabric8's discovery); a kind it does not
         * serve yet, by the CustomResourceDefinition a binding {@linkplain #declare declared} and wrote. A definition in a
         * repository never reroutes a kind the cluster serves. A kind neither knows is a 404.
         */
        public MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> resources(
                String apiVersion, String kind) {
            try {
                return client.genericKubernetesResources(apiVersion, kind);
            } catch (KubernetesClientException notServed) {
                ResourceDefinitionContext declared = customKinds.get(apiVersion + "/" + kind);
                if (declared != null) {
                    return client.genericKubernetesResources(declared);
                }
                throw new KubernetesClientException("the cluster does not serve " + apiVersion + " " + kind, 404, null);
            }
        }

        /** Sends one request under the cluster's {@link Requests} policy. */
        public <T> T call(Supplier<T> request) {
            return requests.call(request);
        }

        /** Why the cluster is unreachable for the rest of the run, or null while it answers. */
        public String unreachable() {
            return requests.unreachable();
        }
    }
}
