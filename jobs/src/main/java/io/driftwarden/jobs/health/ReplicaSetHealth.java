package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/**
 * A ReplicaSet (kstatus {@code core.go} {@code replicasetConditions}): {@code ReplicaFailure=True} is InProgress (the
 * pods need looking at, the controller keeps trying); then InProgress until every replica is labelled, available and
 * ready and none is extra.
 */
final class ReplicaSetHealth implements KindRule {

    @Override
    public Health assess(JsonNode r) {
        var failure = Status.condition(r, "ReplicaFailure").filter(c -> "True".equals(c.path("status").asString("")));
        if (failure.isPresent()) {
            return Health.inProgress("ReplicaFailure", Status.message(failure.get()).isEmpty()
                    ? "Replica Failure condition. Check Pods" : Status.message(failure.get()));
        }
        long spec = Status.integer(r, "/spec/replicas", 1);
        long replicas = Status.integer(r, "/status/replicas", 0);
        long ready = Status.integer(r, "/status/readyReplicas", 0);
        long available = Status.integer(r, "/status/availableReplicas", 0);
        long labelled = Status.integer(r, "/status/fullyLabeledReplicas", 0);
        if (spec > labelled) {
            return Health.inProgress("LessLabelled", "Labelled: " + labelled + "/" + spec);
        }
        if (spec > available) {
            return Health.inProgress("LessAvailable", "Available: " + available + "/" + spec);
        }
        if (spec > ready) {
            return Health.inProgress("LessReady", "Ready: " + ready + "/" + spec);
        }
        if (replicas > spec) {
            return Health.inProgress("ExtraPods", "Pending termination: " + (replicas - spec));
        }
        return Health.current("ReplicaSet is available. Replicas: " + replicas);
    }
}
