package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/**
 * An APIService (apiregistration.k8s.io). kstatus has no rule for it; gitops-engine's
 * {@code pkg/health/health_apiservice.go} reads its {@code Available} condition (set by kube-apiserver's
 * availability controller): True is Current, anything else InProgress with the condition's reason and message — an
 * aggregated API that never becomes available then fails its binding when the binding waits.
 */
final class ApiServiceHealth implements KindRule {

    @Override
    public Health assess(JsonNode service) {
        var available = Status.condition(service, "Available");
        if (available.isEmpty()) {
            return Health.inProgress("NotObserved", "Waiting to be processed");
        }
        if ("True".equals(available.get().path("status").asString(""))) {
            return Health.current(Status.message(available.get()).isEmpty() ? "APIService is available" : Status.message(available.get()));
        }
        return Health.inProgress(Status.reason(available.get()), Status.message(available.get()));
    }
}
