package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/**
 * A CustomResourceDefinition (kstatus {@code core.go} {@code crdConditions}; the conditions are the apiextensions
 * server's): {@code NamesAccepted=False} is Failed, {@code Established=False} for any reason but {@code Installing} is
 * Failed, {@code Established=True} is Current; otherwise the install is InProgress.
 */
final class CustomResourceDefinitionHealth implements KindRule {

    @Override
    public Health assess(JsonNode crd) {
        for (JsonNode condition : crd.path("status").path("conditions")) {
            String type = condition.path("type").asString("");
            String status = condition.path("status").asString("");
            if (type.equals("NamesAccepted") && status.equals("False")) {
                return Health.failed(Status.reason(condition), Status.message(condition));
            }
            if (type.equals("Established")) {
                if (status.equals("False") && !Status.reason(condition).equals("Installing")) {
                    return Health.failed(Status.reason(condition), Status.message(condition));
                }
                if (status.equals("True")) {
                    return Health.current("CRD is established");
                }
            }
        }
        return Health.inProgress("Installing", "Install in progress");
    }
}
