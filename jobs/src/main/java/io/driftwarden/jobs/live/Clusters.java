package io.driftwarden.jobs.live;

import io.driftwarden.config.ClusterSpec;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The clients of one run, one per cluster, each with a permit pool that bounds its requests in flight
 * (fabric8 has no rate limiter of its own). Close it at the end of the run.
 */
public final class Clusters implements AutoCloseable {

    /** Requests in flight per cluster, across all bindings that target it. */
    public static final int MAX_IN_FLIGHT = 4;

    private final Map<String, Cluster> clusters = new ConcurrentHashMap<>();

    /** A cluster's client and its permits, created on first use. */
    public Cluster connect(ClusterSpec spec) {
        return clusters.computeIfAbsent(spec.name(), name -> new Cluster(spec.name(), client(spec), new Semaphore(MAX_IN_FLIGHT),
                new ConcurrentHashMap<>()));
    }

    private static KubernetesClient client(ClusterSpec spec) {
        if (spec.inCluster()) {
            return new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
        }
        if (!Files.isReadable(spec.kubeconfig())) {
            throw new IllegalStateException("cluster " + spec.name() + ": kubeconfig " + spec.kubeconfig() + " is not readable");
        }
        Config config = Config.fromKubeconfig(spec.context(), spec.kubeconfig().toFile());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public void close() {
        clusters.values().forEach(cluster -> cluster.client().close());
        clusters.clear();
    }

    /**
     * A connected cluster. Call {@link #limited} around every request. {@code customKinds} are the kinds of the
     * CustomResourceDefinitions bindings declare, by {@code apiVersion/kind}, reachable before discovery lists them.
     */
    public record Cluster(String name, KubernetesClient client, Semaphore permits, Map<String, ResourceDefinitionContext> customKinds) {

        /** Remembers the custom kinds the CustomResourceDefinitions among {@code manifests} declare. */
        public void declare(Iterable<? extends JsonNode> manifests) {
            for (JsonNode crd : manifests) {
                if (!crd.path("kind").asString("").equals("CustomResourceDefinition")) {
                    continue;
                }
                JsonNode spec = crd.path("spec");
                for (JsonNode version : spec.path("versions")) {
                    ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
                            .withGroup(spec.path("group").asString("")).withVersion(version.path("name").asString(""))
                            .withKind(spec.path("names").path("kind").asString("")).withPlural(spec.path("names").path("plural").asString(""))
                            .withNamespaced(!spec.path("scope").asString("Namespaced").equals("Cluster")).build();
                    customKinds.put(spec.path("group").asString("") + "/" + context.getVersion() + "/" + context.getKind(), context);
                }
            }
        }

        /**
         * The cluster's objects of a kind: built-in kinds by fabric8's model, declared custom kinds by their CRD, any
         * other through the cluster's discovery. A kind the cluster does not serve is a 404.
         */
        public MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> resources(
                String apiVersion, String kind) {
            ResourceDefinitionContext declared = customKinds.get(apiVersion + "/" + kind);
            if (declared != null) {
                return client.genericKubernetesResources(declared);
            }
            try {
                return client.genericKubernetesResources(apiVersion, kind);
            } catch (KubernetesClientException e) {
                throw new KubernetesClientException("the cluster does not serve " + apiVersion + " " + kind, 404, null);
            }
        }

        /** Runs one request while holding a permit. */
        public <T> T limited(Supplier<T> request) {
            permits.acquireUninterruptibly();
            try {
                return request.get();
            } finally {
                permits.release();
            }
        }
    }
}
