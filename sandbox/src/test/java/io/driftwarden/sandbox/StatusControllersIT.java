package io.driftwarden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox's controllers write status after a write, as a cluster's would: the API server's generation at once,
 * then — after the configured delay — a rolled-out Deployment, a complete Job, a bound claim, a load balancer's
 * address; with {@code sandbox.driftwarden.io/fail: "true"} the failures real ones show. What it cannot prove: how long
 * a real controller takes, or any status for kinds and fields beyond these.
 */
class StatusControllersIT {

    private static final Duration DELAY = Duration.ofMillis(150);

    @Test
    void aDeploymentIsInProgressAtItsWriteThenRolledOutWithItsGenerationObserved() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop").statusDelay(DELAY); KubernetesClient client = sandbox.client()) {
            // when a Deployment is applied
            JsonNode written = apply(client, deployment("web", 3, false));

            // then the server gave it generation 1 and no controller status yet
            assertThat(written.at("/metadata/generation").asInt()).isEqualTo(1);
            assertThat(written.at("/status/observedGeneration").isMissingNode()).isTrue();
            // and after the delay the deployment controller's status is there, without a new resourceVersion or manager
            JsonNode rolledOut = awaitStatus(client, "deployments", "web", s -> s.path("observedGeneration").asInt() == 1);
            assertThat(rolledOut.at("/status/readyReplicas").asInt()).isEqualTo(3);
            assertThat(rolledOut.at("/status/availableReplicas").asInt()).isEqualTo(3);
            assertThat(rolledOut.at("/status/conditions/1/reason").asString()).isEqualTo("NewReplicaSetAvailable");
            assertThat(rolledOut.at("/metadata/resourceVersion")).isEqualTo(written.at("/metadata/resourceVersion"));
            assertThat(rolledOut.at("/metadata/managedFields")).isEqualTo(written.at("/metadata/managedFields"));

            // when its spec changes, the generation moves on and the old status stays until the controller acts
            JsonNode changed = apply(client, deployment("web", 4, false));
            assertThat(changed.at("/metadata/generation").asInt()).isEqualTo(2);
            assertThat(changed.at("/status/observedGeneration").asInt()).isEqualTo(1);
            awaitStatus(client, "deployments", "web", s -> s.path("observedGeneration").asInt() == 2 && s.path("readyReplicas").asInt() == 4);
        }
    }

    @Test
    void theFailAnnotationMakesEachKindFailTheWayARealOneDoes() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop").statusDelay(DELAY); KubernetesClient client = sandbox.client()) {
            apply(client, deployment("broken", 2, true));
            apply(client, object("batch/v1", "Job", "migrate", true, Map.of("backoffLimit", 2, "template", Map.of("spec",
                    Map.of("restartPolicy", "Never", "containers", java.util.List.of(Map.of("name", "m", "image", "busybox")))))));
            apply(client, object("v1", "PersistentVolumeClaim", "data", true, Map.of("accessModes", java.util.List.of("ReadWriteOnce"),
                    "resources", Map.of("requests", Map.of("storage", "1Gi")))));

            JsonNode deployment = awaitStatus(client, "deployments", "broken", s -> s.has("conditions"));
            assertThat(deployment.at("/status/conditions/1/reason").asString()).isEqualTo("ProgressDeadlineExceeded");
            assertThat(deployment.at("/status/conditions/1/status").asString()).isEqualTo("False");
            JsonNode job = awaitStatus(client, "jobs", "migrate", s -> s.has("conditions"));
            assertThat(job.at("/status/conditions/0/type").asString()).isEqualTo("Failed");
            assertThat(job.at("/status/conditions/0/reason").asString()).isEqualTo("BackoffLimitExceeded");
            assertThat(job.at("/status/failed").asInt()).isEqualTo(3);
            JsonNode claim = awaitStatus(client, "persistentvolumeclaims", "data", s -> s.path("phase").asString("").equals("Pending"));
            assertThat(claim.at("/status/phase").asString()).isEqualTo("Pending");
        }
    }

    @Test
    void aJobCompletesAClaimBindsAndALoadBalancerGetsAnAddress() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop").statusDelay(DELAY); KubernetesClient client = sandbox.client()) {
            apply(client, object("batch/v1", "Job", "migrate", false, Map.of("template", Map.of("spec",
                    Map.of("restartPolicy", "Never", "containers", java.util.List.of(Map.of("name", "m", "image", "busybox")))))));
            JsonNode claim = apply(client, object("v1", "PersistentVolumeClaim", "data", false, Map.of("accessModes",
                    java.util.List.of("ReadWriteOnce"), "resources", Map.of("requests", Map.of("storage", "1Gi")))));
            apply(client, object("v1", "Service", "edge", false, Map.of("type", "LoadBalancer",
                    "ports", java.util.List.of(Map.of("port", 443)))));

            assertThat(claim.at("/status/phase").asString()).as("a new claim is Pending at once").isEqualTo("Pending");
            assertThat(awaitStatus(client, "jobs", "migrate", s -> s.has("conditions")).at("/status/conditions/0/type").asString())
                    .isEqualTo("Complete");
            assertThat(awaitStatus(client, "persistentvolumeclaims", "data", s -> s.path("phase").asString("").equals("Bound"))
                    .at("/status/capacity/storage").asString()).isEqualTo("1Gi");
            assertThat(awaitStatus(client, "services", "edge", s -> s.at("/loadBalancer/ingress").size() == 1)
                    .at("/status/loadBalancer/ingress/0/ip").asString()).startsWith("203.0.113.");
        }
    }

    @Test
    void aSandboxWithoutDefaultsHasNoControllersAsTheOracleItIsComparedWithHasNone() {
        try (Sandbox sandbox = Sandbox.startWithoutDefaults(0).createNamespaces("shop").statusDelay(Duration.ZERO);
             KubernetesClient client = sandbox.client()) {
            apply(client, deployment("web", 1, false));
            // a later write must find no status: the next request is served after any controller would have acted
            JsonNode second = apply(client, deployment("web", 2, false));

            assertThat(second.path("status").isMissingNode()).isTrue();
        }
    }

    private static GenericKubernetesResource deployment(String name, int replicas, boolean fail) {
        return object("apps/v1", "Deployment", name, fail, Map.of("replicas", replicas, "progressDeadlineSeconds", 600,
                "selector", Map.of("matchLabels", Map.of("app", name)),
                "template", Map.of("metadata", Map.of("labels", Map.of("app", name)),
                        "spec", Map.of("containers", java.util.List.of(Map.of("name", "web", "image", "nginx:1.27"))))));
    }

    private static GenericKubernetesResource object(String apiVersion, String kind, String name, boolean fail, Map<String, Object> spec) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion(apiVersion);
        object.setKind(kind);
        object.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace("shop")
                .withAnnotations(fail ? Map.of(Sandbox.FAIL_ANNOTATION, "true") : Map.of()).build());
        object.setAdditionalProperty("spec", spec);
        return object;
    }

    private static JsonNode apply(KubernetesClient client, GenericKubernetesResource object) {
        GenericKubernetesResource applied = client.genericKubernetesResources(object.getApiVersion(), object.getKind()).inNamespace("shop")
                .resource(object).fieldManager("driftwarden").forceConflicts().serverSideApply();
        return Serialization.jsonMapper().valueToTree(applied);
    }

    private static JsonNode awaitStatus(KubernetesClient client, String plural, String name, java.util.function.Predicate<JsonNode> ready) {
        String apiVersion = switch (plural) {
            case "deployments" -> "apps/v1";
            case "jobs" -> "batch/v1";
            default -> "v1";
        };
        String kind = switch (plural) {
            case "deployments" -> "Deployment";
            case "jobs" -> "Job";
            case "services" -> "Service";
            default -> "PersistentVolumeClaim";
        };
        return await().atMost(Duration.ofSeconds(10)).until(() -> Serialization.jsonMapper().<JsonNode>valueToTree(
                client.genericKubernetesResources(apiVersion, kind).inNamespace("shop").withName(name).get()), o -> ready.test(o.path("status")));
    }
}
