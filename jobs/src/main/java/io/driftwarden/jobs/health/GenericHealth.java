package io.driftwarden.jobs.health;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The checks kstatus makes on every object before its kind's rule (sigs.k8s.io/cli-utils
 * {@code pkg/kstatus/status/generic.go}, {@code checkGenericProperties}): an object being deleted is on its way (kstatus
 * {@code Terminating}, here InProgress); {@code status.observedGeneration} behind {@code metadata.generation} means its
 * controller has not seen the latest spec (skipped when either is absent); then the standard conditions of kstatus's
 * "abnormal-true" convention: {@code Reconciling=True} is InProgress, {@code Stalled=True} is Failed, each with the
 * condition's reason and message.
 */
final class GenericHealth {

    private GenericHealth() {
    }

    /** The verdict of the generic checks, or empty when the kind's rule decides. */
    static Optional<Health> assess(String kind, JsonNode object) {
        if (!object.path("metadata").path("deletionTimestamp").asString("").isEmpty()) {
            return Optional.of(Health.inProgress("Terminating", "Resource scheduled for deletion"));
        }
        JsonNode generation = object.path("metadata").path("generation");
        JsonNode observed = object.path("status").path("observedGeneration");
        if (generation.isIntegralNumber() && observed.isIntegralNumber() && generation.longValue() != observed.longValue()) {
            return Optional.of(Health.inProgress("LatestGenerationNotObserved", kind + " generation is "
                    + generation.longValue() + ", but latest observed generation is " + observed.longValue()));
        }
        for (JsonNode condition : object.path("status").path("conditions")) {
            boolean isTrue = "True".equals(condition.path("status").asString(""));
            String type = condition.path("type").asString("");
            if (isTrue && type.equals("Reconciling")) {
                return Optional.of(Health.inProgress(Status.reason(condition), Status.message(condition)));
            }
            if (isTrue && type.equals("Stalled")) {
                return Optional.of(Health.failed(Status.reason(condition), Status.message(condition)));
            }
        }
        return Optional.empty();
    }

    /**
     * kstatus {@code checkGenerationSet}, which its DaemonSet rule adds: a controller that acted on the object has set
     * both {@code metadata.generation} and {@code status.observedGeneration}; until then it is InProgress.
     */
    static Optional<Health> generationSet(JsonNode object) {
        String kind = "DaemonSet";
        if (!object.path("metadata").path("generation").isIntegralNumber()) {
            return Optional.of(Health.inProgress("NoGeneration", kind + " metadata.generation not found"));
        }
        if (!object.path("status").path("observedGeneration").isIntegralNumber()) {
            return Optional.of(Health.inProgress("NoObservedGeneration", kind + " status.observedGeneration not found"));
        }
        return Optional.empty();
    }
}
