package io.driftwarden.jobs.health;

import java.time.Clock;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The health of a live object — a pure function of the object (and, for a Pod's schedule window, the time): kstatus's
 * {@code Compute} (sigs.k8s.io/cli-utils {@code pkg/kstatus/status/status.go}) — the generic checks of
 * {@link GenericHealth} first, then the rule of the object's kind from kstatus's {@code legacyTypes} table in
 * {@code core.go} (plus APIService, from gitops-engine), else {@link ReadyConditionHealth}. ConfigMaps, Secrets,
 * CronJobs and PodDisruptionBudgets are always Current, as kstatus's {@code alwaysReady}.
 */
public final class HealthRules {

    private static final KindRule ALWAYS_READY = object -> Health.current("Resource is always ready");

    private final Map<String, KindRule> rules;
    private final KindRule otherwise = new ReadyConditionHealth();

    public HealthRules(Clock clock) {
        KindRule deployment = new DeploymentHealth();
        KindRule daemonSet = new DaemonSetHealth();
        KindRule replicaSet = new ReplicaSetHealth();
        // kstatus core.go legacyTypes: group/Kind ("" group: Kind alone)
        this.rules = Map.ofEntries(
                Map.entry("Service", new ServiceHealth()),
                Map.entry("Pod", new PodHealth(clock)),
                Map.entry("Secret", ALWAYS_READY),
                Map.entry("ConfigMap", ALWAYS_READY),
                Map.entry("PersistentVolumeClaim", new PersistentVolumeClaimHealth()),
                Map.entry("apps/StatefulSet", new StatefulSetHealth()),
                Map.entry("apps/DaemonSet", daemonSet),
                Map.entry("extensions/DaemonSet", daemonSet),
                Map.entry("apps/Deployment", deployment),
                Map.entry("extensions/Deployment", deployment),
                Map.entry("apps/ReplicaSet", replicaSet),
                Map.entry("extensions/ReplicaSet", replicaSet),
                Map.entry("policy/PodDisruptionBudget", ALWAYS_READY),
                Map.entry("batch/CronJob", ALWAYS_READY),
                Map.entry("batch/Job", new JobHealth()),
                Map.entry("apiextensions.k8s.io/CustomResourceDefinition", new CustomResourceDefinitionHealth()),
                Map.entry("apiregistration.k8s.io/APIService", new ApiServiceHealth()));
    }

    /** The rules with the system clock. */
    public static HealthRules standard() {
        return new HealthRules(Clock.systemUTC());
    }

    /** The health of {@code object}, a manifest with its {@code apiVersion}, {@code kind}, {@code metadata} and {@code status}. */
    public Health assess(JsonNode object) {
        String apiVersion = object.path("apiVersion").asString("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return assess(group, object.path("kind").asString(""), object);
    }

    /**
     * The health of {@code object} of {@code group}/{@code kind} ("" for the core group): a LIST's items carry no
     * {@code kind} of their own, so the kind comes from the list.
     */
    public Health assess(String group, String kind, JsonNode object) {
        var generic = GenericHealth.assess(kind, object);
        if (generic.isPresent()) {
            return generic.get();
        }
        return rules.getOrDefault(group.isEmpty() ? kind : group + "/" + kind, otherwise).assess(object);
    }

    /**
     * The health of an object just written as {@code manifest}, when it does not depend on what the cluster does with it:
     * kstatus's {@code alwaysReady} kinds (ConfigMap, Secret, CronJob, PodDisruptionBudget), and a Service that is not
     * a {@code LoadBalancer} (kstatus's Service rule looks at nothing else), a Namespace (no kstatus rule; the generic
     * checks find nothing on one just written). Empty when only a read can tell.
     */
    public java.util.Optional<Health> fromWrite(String group, String kind, JsonNode manifest) {
        KindRule rule = rules.get(group.isEmpty() ? kind : group + "/" + kind);
        if (rule == ALWAYS_READY) {
            return java.util.Optional.of(ALWAYS_READY.assess(manifest));
        }
        if (rule instanceof ServiceHealth && !manifest.path("spec").path("type").asString("ClusterIP").equals("LoadBalancer")) {
            return java.util.Optional.of(rule.assess(manifest));
        }
        if (group.isEmpty() && kind.equals("Namespace")) { // no kstatus rule and no conditions until it is deleted: Current
            return java.util.Optional.of(Health.current("Namespace is active"));
        }
        return java.util.Optional.empty();
    }

    /** kstatus's {@code NotFound}: the object is not in the cluster (here Unknown). */
    public static Health notFound() {
        return Health.unknown("NotFound", "not found in the cluster");
    }
}
