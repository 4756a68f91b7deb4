package io.driftwarden.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A cluster to reconcile into: a kubeconfig file and a context in it (null = its current-context), or the
 * service account of the pod driftwarden runs in. {@code requestTimeout} bounds each attempt of each request.
 * {@code listByLabel}: each kind is LISTed once cluster-wide with the {@code driftwarden.io/binding} label selector
 * instead of once per namespace (many bindings' namespaces; such a list cannot see unlabelled objects, so no
 * unmanaged report).
 * {@code maxInFlight}: requests in flight to this cluster at once, across all bindings that target it, and the most of
 * its bindings reconciled at once.
 * {@code origin} is where it is declared ({@code file:line}).
 */
public record ClusterSpec(String name, Path kubeconfig, String context, boolean inCluster, Duration requestTimeout, boolean listByLabel,
                          int maxInFlight, String origin) {

    /** Requests in flight per cluster unless the config says otherwise ({@code clusters[].maxInFlight}). */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;
    /** The most {@code maxInFlight} may be: kube-apiserver's own default max-requests-inflight is 400 for all clients. */
    public static final int MAX_MAX_IN_FLIGHT = 256;

    /** A cluster with the default {@code maxInFlight}. */
    public ClusterSpec(String name, Path kubeconfig, String context, boolean inCluster, Duration requestTimeout, boolean listByLabel,
                       String origin) {
        this(name, kubeconfig, context, inCluster, requestTimeout, listByLabel, DEFAULT_MAX_IN_FLIGHT, origin);
    }

    /** How long one attempt of one request may take unless the config says otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A cluster declared outside a config file (tests, the demo). */
    public ClusterSpec(String name, Path kubeconfig, String context, boolean inCluster) {
        this(name, kubeconfig, context, inCluster, DEFAULT_REQUEST_TIMEOUT, false, name);
    }
}
