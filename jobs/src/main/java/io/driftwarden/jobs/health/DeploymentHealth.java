package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/**
 * A Deployment (kstatus {@code core.go} {@code deploymentConditions}): a {@code Progressing} condition with reason
 * {@code ProgressDeadlineExceeded} is Failed (the deployment controller's timeout, kubernetes
 * {@code pkg/controller/deployment/progress.go}); otherwise the rollout is InProgress until the replicas are all there,
 * updated, available and ready ({@code spec.replicas} defaults to 1, as the controller's), and Current once
 * {@code Progressing} says {@code NewReplicaSetAvailable} (or no progress deadline is set) and {@code Available=True}.
 */
final class DeploymentHealth implements KindRule {

    /** The controller's "no deadline" ({@code progressDeadlineSeconds} absent reads as this in kstatus). */
    private static final long NO_DEADLINE = Integer.MAX_VALUE;

    @Override
    public Health assess(JsonNode d) {
        boolean progressing = Status.integer(d, "/spec/progressDeadlineSeconds", NO_DEADLINE) == NO_DEADLINE;
        boolean available = false;
        for (JsonNode condition : d.path("status").path("conditions")) {
            String type = condition.path("type").asString("");
            String status = condition.path("status").asString("");
            if (type.equals("Progressing")) {
                if (Status.reason(condition).equals("ProgressDeadlineExceeded")) {
                    return Health.failed("ProgressDeadlineExceeded", Status.message(condition).isEmpty()
                            ? "Progress deadline exceeded" : Status.message(condition));
                }
                if (status.equals("True") && Status.reason(condition).equals("NewReplicaSetAvailable")) {
                    progressing = true;
                }
            } else if (type.equals("Available") && status.equals("True")) {
                available = true;
            }
        }
        long spec = Status.integer(d, "/spec/replicas", 1);
        long replicas = Status.integer(d, "/status/replicas", 0);
        long updated = Status.integer(d, "/status/updatedReplicas", 0);
        long ready = Status.integer(d, "/status/readyReplicas", 0);
        long availableReplicas = Status.integer(d, "/status/availableReplicas", 0);
        if (spec > replicas) {
            return Health.inProgress("LessReplicas", "Replicas: " + replicas + "/" + spec);
        }
        if (spec > updated) {
            return Health.inProgress("LessUpdated", "Updated: " + updated + "/" + spec);
        }
        if (replicas > spec) {
            return Health.inProgress("ExtraPods", "Pending termination: " + (replicas - spec));
        }
        if (updated > availableReplicas) {
            return Health.inProgress("LessAvailable", "Available: " + availableReplicas + "/" + updated);
        }
        if (spec > ready) {
            return Health.inProgress("LessReady", "Ready: " + ready + "/" + spec);
        }
        if (!progressing) {
            return Health.inProgress("ReplicaSetNotAvailable", "ReplicaSet not Available");
        }
        if (!available) {
            return Health.inProgress("DeploymentNotAvailable", "Deployment not Available");
        }
        return Health.current("Deployment is available. Replicas: " + replicas);
    }
}
