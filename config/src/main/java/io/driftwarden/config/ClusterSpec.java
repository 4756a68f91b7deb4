package io.driftwarden.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A cluster to reconcile into: a kubeconfig file and a context in it (null = its current-context), or the
 * service account of the pod driftwarden runs in. {@code requestTimeout} bounds each attempt of each request.
 * {@code listByLabel}: each kind is LISTed once cluster-wide with the {@code driftwarden.io/binding} label selector
 * instead of once per namespace (many bindings' namespaces; such a list cannot see unlabelled objects, so no
 * unmanaged report).
 * {@code origin} is where it is declared ({@code file:line}).
 */
public record ClusterSpec(String name, Path kubeconfig, String context, boolean inCluster, Duration requestTimeout, boolean listByLabel,
                          String origin) {

    /** How long one attempt of one request may take unless the config says otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A cluster declared outside a config file (tests, the demo). */
    public ClusterSpec(String name, Path kubeconfig, String context, boolean inCluster) {
        this(name, kubeconfig, context, inCluster, DEFAULT_REQUEST_TIMEOUT, false, name);
    }
}
