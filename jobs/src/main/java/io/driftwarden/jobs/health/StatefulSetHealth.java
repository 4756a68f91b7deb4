package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/**
 * A StatefulSet (kstatus {@code core.go} {@code stsConditions}; its controller sets no conditions, so only the counts
 * tell): {@code OnDelete} updates are the user's and Current; otherwise InProgress until every replica exists and is
 * ready and none is extra, a partitioned rollout has updated the replicas above the partition, and the current revision
 * equals the update revision.
 */
final class StatefulSetHealth implements KindRule {

    @Override
    public Health assess(JsonNode s) {
        if (Status.text(s, "/spec/updateStrategy/type", "").equals("OnDelete")) {
            return Health.current("StatefulSet is using the ondelete update strategy");
        }
        long spec = Status.integer(s, "/spec/replicas", 1);
        long ready = Status.integer(s, "/status/readyReplicas", 0);
        long current = Status.integer(s, "/status/currentReplicas", 0);
        long updated = Status.integer(s, "/status/updatedReplicas", 0);
        long replicas = Status.integer(s, "/status/replicas", 0);
        long partition = Status.integer(s, "/spec/updateStrategy/rollingUpdate/partition", -1);
        if (spec > replicas) {
            return Health.inProgress("LessReplicas", "Replicas: " + replicas + "/" + spec);
        }
        if (spec > ready) {
            return Health.inProgress("LessReady", "Ready: " + ready + "/" + spec);
        }
        if (replicas > spec) {
            return Health.inProgress("ExtraPods", "Pending termination: " + (replicas - spec));
        }
        if (partition != -1) {
            if (updated < spec - partition) {
                return Health.inProgress("PartitionRollout", "updated: " + updated + "/" + (spec - partition));
            }
            return Health.current("Partition rollout complete. updated: " + updated);
        }
        if (spec > current) {
            return Health.inProgress("LessCurrent", "current: " + current + "/" + spec);
        }
        if (!Status.text(s, "/status/currentRevision", "").equals(Status.text(s, "/status/updateRevision", ""))) {
            return Health.inProgress("RevisionMismatch", "Waiting for updated revision to match current");
        }
        return Health.current("All replicas scheduled as expected. Replicas: " + replicas);
    }
}
