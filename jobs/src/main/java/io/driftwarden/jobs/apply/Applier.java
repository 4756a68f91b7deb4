package io.driftwarden.jobs.apply;

import io.driftwarden.config.Mode;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.diff.DriftType;
import io.driftwarden.jobs.diff.SecretMasker;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.resource.ResourceKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Applies drifted objects in kind order, each write between its intent and outcome audit rows. */
public final class Applier {

    /** The field manager of every driftwarden write. */
    public static final String FIELD_MANAGER = "driftwarden";

    /** Namespaces and CRDs first, then Helm's install order; unknown kinds last. */
    private static final List<String> KIND_ORDER = List.of("Namespace", "CustomResourceDefinition", "NetworkPolicy",
            "ResourceQuota", "LimitRange", "PodDisruptionBudget", "ServiceAccount", "Secret", "ConfigMap",
            "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "ClusterRole", "ClusterRoleBinding", "Role",
            "RoleBinding", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
            "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService");

    /**
     * Corrects (enforce) or records (audit) every drifted object; in-sync objects are not written. Live objects
     * are only used to keep their Secret values out of error messages.
     */
    public List<Change> apply(List<Drift> drifts, Mode mode, Clusters.Cluster cluster, BindingAudit audit,
                              Map<ResourceKey, JsonNode> live) {
        List<Drift> ordered = new ArrayList<>(drifts);
        ordered.sort(Comparator.comparingInt((Drift d) -> kindRank(d.key().kind())).thenComparing(Drift::key));
        List<Change> changes = new ArrayList<>();
        for (Drift drift : ordered) {
            if (!drift.drifted()) {
                changes.add(new Change(drift.key(), Action.UNCHANGED, ""));
            } else if (mode == Mode.AUDIT) {
                audit.detected(drift);
                changes.add(new Change(drift.key(), Action.SKIPPED, "drift left in place (audit mode)"));
            } else {
                changes.add(correct(drift, cluster, audit, live.get(drift.key())));
            }
        }
        return changes;
    }

    private static Change correct(Drift drift, Clusters.Cluster cluster, BindingAudit audit, JsonNode live) {
        Action action = drift.type() == DriftType.MISSING ? Action.CREATED : Action.CONFIGURED;
        try {
            audit.intent(drift, action);
        } catch (RuntimeException e) {
            return new Change(drift.key(), Action.FAILED, "not applied: the audit intent row could not be written: " + e.getMessage());
        }
        try {
            cluster.limited(() -> serverSideApply(drift, cluster));
        } catch (RuntimeException e) {
            String error = drift.key().subject() + " apply failed: " + SecretMasker.scrub(e.getMessage(), drift.desired(), live);
            audit.failed(drift, action, error);
            return new Change(drift.key(), Action.FAILED, error);
        }
        audit.corrected(drift, action);
        return new Change(drift.key(), action, String.join(", ", drift.paths()));
    }

    private static GenericKubernetesResource serverSideApply(Drift drift, Clusters.Cluster cluster) {
        ResourceKey key = drift.key();
        GenericKubernetesResource object = Serialization.jsonMapper().treeToValue(drift.desired().manifest(),
                GenericKubernetesResource.class);
        var resources = cluster.client().genericKubernetesResources(key.apiVersion(), key.kind());
        var target = key.namespace().isEmpty() ? resources.resource(object) : resources.inNamespace(key.namespace()).resource(object);
        return target.fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    private static int kindRank(String kind) {
        int rank = KIND_ORDER.indexOf(kind);
        return rank < 0 ? KIND_ORDER.size() : rank;
    }
}
