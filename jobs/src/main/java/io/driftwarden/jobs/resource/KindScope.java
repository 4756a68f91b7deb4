package io.driftwarden.jobs.resource;

import java.util.Set;

/**
 * Which kinds are cluster-scoped. The built-in list is fixed (the sandbox has no discovery, and a batch job should
 * not need it for built-in kinds); every other kind, custom kinds included, is taken as namespaced.
 */
public final class KindScope {

    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
            "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass", "CSIDriver", "CSINode", "VolumeAttachment",
            "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CertificateSigningRequest",
            "FlowSchema", "PriorityLevelConfiguration", "ComponentStatus");

    private KindScope() {
    }

    public static boolean isClusterScoped(String kind) {
        return CLUSTER_SCOPED.contains(kind);
    }
}
