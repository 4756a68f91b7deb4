package io.driftwarden.jobs.live;

import io.driftwarden.config.ClusterSpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

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
        return clusters.computeIfAbsent(spec.name(), name -> new Cluster(spec.name(), client(spec), new Semaphore(MAX_IN_FLIGHT)));
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

    /** A connected cluster. Call {@link #limited} around every request. */
    public record Cluster(String name, KubernetesClient client, Semaphore permits) {

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
