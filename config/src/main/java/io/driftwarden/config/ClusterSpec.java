package io.driftwarden.config;

import java.nio.file.Path;

/**
 * A cluster to reconcile into: a kubeconfig file and a context in it (null = its current-context), or the
 * service account of the pod driftwarden runs in. {@code origin} is where it is declared ({@code file:line}).
 */
public record ClusterSpec(String name, Path kubeconfig, String context, boolean inCluster, String origin) {

    /** A cluster declared outside a config file (tests, the demo). */
    public ClusterSpec(String name, Path kubeconfig, String context, boolean inCluster) {
        this(name, kubeconfig, context, inCluster, name);
    }
}
