package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/** A PersistentVolumeClaim (kstatus {@code core.go} {@code pvcConditions}): Current once Bound, InProgress before. */
final class PersistentVolumeClaimHealth implements KindRule {

    @Override
    public Health assess(JsonNode pvc) {
        String phase = Status.text(pvc, "/status/phase", "unknown");
        if (!phase.equals("Bound")) {
            return Health.inProgress("NotBound", "PVC is not Bound. phase: " + phase);
        }
        return Health.current("PVC is Bound");
    }
}
