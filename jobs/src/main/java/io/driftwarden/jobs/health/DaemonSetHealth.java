package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/**
 * A DaemonSet (kstatus {@code core.go} {@code daemonsetConditions}): its controller always sets the generations, so
 * until both are there it is InProgress ({@link GenericHealth#generationSet}); then InProgress until every node that
 * should run it has it scheduled, updated, available and ready.
 */
final class DaemonSetHealth implements KindRule {

    @Override
    public Health assess(JsonNode d) {
        var unobserved = GenericHealth.generationSet(d);
        if (unobserved.isPresent()) {
            return unobserved.get();
        }
        long desired = Status.integer(d, "/status/desiredNumberScheduled", -1);
        long current = Status.integer(d, "/status/currentNumberScheduled", 0);
        long updated = Status.integer(d, "/status/updatedNumberScheduled", 0);
        long available = Status.integer(d, "/status/numberAvailable", 0);
        long ready = Status.integer(d, "/status/numberReady", 0);
        if (desired == -1) {
            return Health.inProgress("NoDesiredNumber", "Missing .status.desiredNumberScheduled");
        }
        if (desired > current) {
            return Health.inProgress("LessCurrent", "Current: " + current + "/" + desired);
        }
        if (desired > updated) {
            return Health.inProgress("LessUpdated", "Updated: " + updated + "/" + desired);
        }
        if (desired > available) {
            return Health.inProgress("LessAvailable", "Available: " + available + "/" + desired);
        }
        if (desired > ready) {
            return Health.inProgress("LessReady", "Ready: " + ready + "/" + desired);
        }
        return Health.current("All replicas scheduled as expected. Replicas: " + desired);
    }
}
