package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/**
 * Any kind without a rule of its own. kstatus ({@code status.go} {@code Compute}) counts such an object Current —
 * "the absence of any known conditions means the resource is current" — once the generic checks found nothing; so does
 * this rule, with one addition the Kubernetes API conventions (sig-architecture {@code api-conventions.md},
 * "Typical status properties") make worth reading: a {@code Ready} condition, which most custom controllers (Flux,
 * cert-manager, Crossplane) set. {@code Ready=True} is Current; {@code Ready=False} or {@code Unknown} is InProgress with
 * its reason (a controller that gave up says so with {@code Stalled}, which the generic checks read as Failed).
 */
final class ReadyConditionHealth implements KindRule {

    @Override
    public Health assess(JsonNode object) {
        var ready = Status.condition(object, "Ready");
        if (ready.isEmpty()) {
            return Health.current("Resource is current");
        }
        if ("True".equals(ready.get().path("status").asString(""))) {
            return Health.current(Status.message(ready.get()).isEmpty() ? "Resource is Ready" : Status.message(ready.get()));
        }
        String reason = Status.reason(ready.get()).isEmpty() ? "NotReady" : Status.reason(ready.get());
        return Health.inProgress(reason, Status.message(ready.get()));
    }
}
