package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/**
 * A Service. kstatus ({@code core.go} {@code serviceConditions}) only asks that a {@code LoadBalancer} Service has a
 * cluster IP; a load balancer is usable only once its address is assigned, so, as gitops-engine's
 * {@code pkg/health/health_service.go} does, a {@code LoadBalancer} Service is InProgress until
 * {@code status.loadBalancer.ingress} holds an entry (the cloud controller assigns it after the cluster IP kstatus asks
 * for, so the one check covers both). Every other type is Current.
 */
final class ServiceHealth implements KindRule {

    @Override
    public Health assess(JsonNode s) {
        if (!Status.text(s, "/spec/type", "ClusterIP").equals("LoadBalancer")) {
            return Health.current("Service is ready");
        }
        if (s.at("/status/loadBalancer/ingress").isEmpty()) {
            return Health.inProgress("NoIngressAssigned", "Load balancer ingress not assigned yet");
        }
        JsonNode ingress = s.at("/status/loadBalancer/ingress/0");
        return Health.current("Load balancer ingress: " + ingress.path("ip").asString(ingress.path("hostname").asString("")));
    }
}
