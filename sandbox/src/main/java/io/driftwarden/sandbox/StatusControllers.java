package io.driftwarden.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the controllers of a real cluster would write into the status of the workloads the sandbox stores, so that
 * health can be read from it: on every write the API server's part — {@code metadata.generation} 1 on create, one more
 * when the spec changes (kube-apiserver's strategies for these kinds), a PersistentVolumeClaim {@code Pending} — and,
 * after {@link Sandbox#statusDelay a delay}, the controller's: a Deployment, StatefulSet, DaemonSet or ReplicaSet rolled
 * out ({@code observedGeneration}, its replicas ready and available, a Deployment's {@code Available} and
 * {@code Progressing=NewReplicaSetAvailable} conditions), a Job {@code Complete}, a PVC {@code Bound}, a
 * {@code LoadBalancer} Service with an ingress IP. With the annotation {@value #FAIL} set to {@code "true"} the object
 * fails as a real one does: a Deployment's {@code Progressing=False} with reason {@code ProgressDeadlineExceeded}, a
 * Job's {@code Failed} condition with {@code BackoffLimitExceeded}, a PVC stays {@code Pending}, a workload's pods never
 * become ready, a load balancer gets no address.
 *
 * <p>The controllers write the status subresource as the kube-controller-manager does, but the sandbox keeps status out of
 * {@code managedFields} (as it does for every manager: {@link FieldManagers} tracks no status) and keeps the
 * {@code resourceVersion}, so what a test compares across runs changes only by a client's write.
 */
final class StatusControllers {

    /** The annotation that makes the sandbox's controllers fail the object. */
    static final String FAIL = "sandbox.driftwarden.io/fail";

    private static final Set<String> KINDS = Set.of("apps/v1/Deployment", "apps/v1/StatefulSet", "apps/v1/DaemonSet",
            "apps/v1/ReplicaSet", "batch/v1/Job", "v1/PersistentVolumeClaim", "v1/Service");

    private StatusControllers() {
    }

    /** Whether a write of {@code object} is followed by a controller's status. */
    static boolean controlled(JsonNode object) {
        String kind = object.path("apiVersion").asString("") + "/" + object.path("kind").asString("");
        if (kind.equals("v1/Service")) {
            return object.path("spec").path("type").asString("").equals("LoadBalancer");
        }
        return KINDS.contains(kind);
    }

    /**
     * The API server's part of a write of {@code updated} over {@code current} (null: a create): the generation, and a
     * new claim's {@code Pending} phase. A status the client sent is kept, so tests can seed objects as real servers
     * returned them.
     */
    static void written(JsonNode current, ObjectNode updated) {
        if (!controlled(updated) && !(current != null && controlled(current))) {
            return;
        }
        ObjectNode metadata = (ObjectNode) updated.path("metadata");
        // a create keeps a generation it was given: tests seed objects as real servers returned them
        long generation = (current == null ? metadata : current.path("metadata")).path("generation").asLong(1);
        if (current != null && !current.path("spec").equals(updated.path("spec"))) {
            generation++;
        }
        metadata.put("generation", generation);
        if (current == null && !updated.has("status") && updated.path("kind").asString("").equals("PersistentVolumeClaim")) {
            updated.putObject("status").put("phase", "Pending");
        }
    }

    /** The status {@code object}'s controller writes once it has acted on it, at {@code now}. */
    static ObjectNode status(JsonNode object, Instant now) {
        boolean fail = "true".equals(object.path("metadata").path("annotations").path(FAIL).asString(""));
        long generation = object.path("metadata").path("generation").asLong(1);
        long replicas = object.path("spec").path("replicas").asLong(1);
        String name = object.path("metadata").path("name").asString("");
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode status = ((ObjectNode) object).objectNode();
        switch (object.path("kind").asString("")) {
            case "Deployment" -> {
                long ready = fail ? 0 : replicas;
                status.put("observedGeneration", generation).put("replicas", replicas).put("updatedReplicas", replicas)
                        .put("readyReplicas", ready).put("availableReplicas", ready);
                if (fail && replicas > 0) {
                    status.put("unavailableReplicas", replicas);
                }
                ArrayNode conditions = status.putArray("conditions");
                String replicaSet = name + "-" + Long.toHexString((name + generation).hashCode() & 0xffffffL);
                condition(conditions, "Available", fail ? "False" : "True", fail ? "MinimumReplicasUnavailable" : "MinimumReplicasAvailable",
                        fail ? "Deployment does not have minimum availability." : "Deployment has minimum availability.", time);
                condition(conditions, "Progressing", fail ? "False" : "True", fail ? "ProgressDeadlineExceeded" : "NewReplicaSetAvailable",
                        fail ? "ReplicaSet \"" + replicaSet + "\" has timed out progressing."
                                : "ReplicaSet \"" + replicaSet + "\" has successfully progressed.", time);
            }
            case "StatefulSet" -> {
                String revision = name + "-" + Long.toHexString((name + generation).hashCode() & 0xffffffL);
                long ready = fail ? 0 : replicas;
                status.put("observedGeneration", generation).put("replicas", replicas).put("readyReplicas", ready)
                        .put("currentReplicas", replicas).put("updatedReplicas", replicas).put("availableReplicas", ready)
                        .put("currentRevision", revision).put("updateRevision", revision);
            }
            case "DaemonSet" -> { // the sandbox has one node
                long ready = fail ? 0 : 1;
                status.put("observedGeneration", generation).put("desiredNumberScheduled", 1).put("currentNumberScheduled", 1)
                        .put("updatedNumberScheduled", 1).put("numberAvailable", ready).put("numberReady", ready).put("numberMisscheduled", 0);
                if (fail) {
                    status.put("numberUnavailable", 1);
                }
            }
            case "ReplicaSet" -> {
                long ready = fail ? 0 : replicas;
                status.put("observedGeneration", generation).put("replicas", replicas).put("fullyLabeledReplicas", replicas)
                        .put("readyReplicas", ready).put("availableReplicas", ready);
            }
            case "Job" -> {
                long completions = object.path("spec").path("completions").asLong(object.path("spec").path("parallelism").asLong(1));
                status.put("startTime", time);
                ArrayNode conditions = status.putArray("conditions");
                if (fail) {
                    status.put("failed", object.path("spec").path("backoffLimit").asLong(6) + 1);
                    condition(conditions, "Failed", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit", time);
                } else {
                    status.put("completionTime", time).put("succeeded", completions);
                    condition(conditions, "Complete", "True", "", "", time);
                }
            }
            case "PersistentVolumeClaim" -> {
                status.put("phase", fail ? "Pending" : "Bound");
                if (!fail) {
                    status.set("accessModes", object.path("spec").path("accessModes").deepCopy());
                    JsonNode storage = object.path("spec").path("resources").path("requests").path("storage");
                    if (!storage.isMissingNode()) {
                        status.putObject("capacity").set("storage", storage.deepCopy());
                    }
                }
            }
            case "Service" -> {
                ObjectNode loadBalancer = status.putObject("loadBalancer");
                if (!fail) { // TEST-NET-3 (RFC 5737): an address that is nobody's
                    loadBalancer.putArray("ingress").addObject().put("ip", "203.0.113." + (1 + Math.floorMod(name.hashCode(), 254)))
                            .put("ipMode", "VIP");
                }
            }
            default -> {
                return null;
            }
        }
        return status;
    }

    private static void condition(ArrayNode conditions, String type, String status, String reason, String message, String time) {
        ObjectNode condition = conditions.addObject().put("type", type).put("status", status);
        if (!reason.isEmpty()) {
            condition.put("reason", reason);
        }
        if (!message.isEmpty()) {
            condition.put("message", message);
        }
        condition.put("lastTransitionTime", time);
        if (type.equals("Available") || type.equals("Progressing")) {
            condition.put("lastUpdateTime", time);
        } else {
            condition.put("lastProbeTime", time);
        }
    }

    /** The default pause between a write and its controller's status: short, as a demo wants it. */
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);
}
