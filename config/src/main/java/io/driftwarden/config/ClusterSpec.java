package io.driftwarden.config;

import java.nio.file.Path;

/**
 * A cluster to reconcile into: a kubeconfig file and a context in it (null = its current-context), or the
 * service account of the pod driftwarden runs in.
 */
public record ClusterSpec(String name, Path kubeconfig, String context, boolean inCluster) {
}
