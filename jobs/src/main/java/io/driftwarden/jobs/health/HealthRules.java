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
     * Whether objects of {@code group}/{@code kind} are Current whatever the cluster did with them (kstatus's
     * {@code alwaysReady}): their health is known from the write alone, with no read.
     */
    public boolean alwaysReady(String group, String kind) {
        return rules.get(group.isEmpty() ? kind : group + "/" + kind) == ALWAYS_READY;
    }

    /** kstatus's {@code NotFound}: the object is not in the cluster (here Unknown). */
    public static Health notFound() {
        return Health.unknown("NotFound", "not found in the cluster");
    }
}
