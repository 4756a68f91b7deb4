package io.driftwarden.jobs.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.driftwarden.jobs.diff.DriftPath;
import io.driftwarden.sandbox.Sandbox;
import io.driftwarden.kube.FieldPath;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The guarded JSON patch that removes hand-added list elements, against the sandbox (which applies RFC 6902 with
 * fabric8's zjsonpatch; it cannot prove a real server's admission of the patch).
 */
class RemovalPatchIT {

    private static final DriftPath HAND_ADDED = new DriftPath(FieldPath.root().with("spec").with("template").with("spec")
            .with("containers").with(FieldPath.key(json("{\"name\":\"app\"}"), List.of("name"), null)).with("env")
            .with(FieldPath.key(json("{\"name\":\"HAND\"}"), List.of("name"), null)), DriftPath.Reason.ADDED_BY_HAND,
            "kubectl-edit", null, null);

    @Test
    void removesExactlyTheHandAddedElement() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var web = client.apps().deployments().inNamespace("shop").resource(deployment("A", "HAND", "B"));
            web.create();

            send(client, RemovalPatch.of(List.of(HAND_ADDED), tree(web.get())));

            assertThat(web.get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .extracting(e -> e.getName()).containsExactly("A", "B");
        }
    }

    @Test
    void failsRatherThanRemoveTheWrongElementWhenTheListChangedInBetween() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var web = client.apps().deployments().inNamespace("shop").resource(deployment("A", "HAND", "B"));
            web.create();
            var patch = RemovalPatch.of(List.of(HAND_ADDED), tree(web.get()));

            // someone inserts an element before HAND after the patch was computed
            client.apps().deployments().inNamespace("shop").withName("web").patch(PatchContext.of(PatchType.JSON),
                    "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/env/0\",\"value\":{\"name\":\"NEW\",\"value\":\"v\"}}]");

            var failure = catchThrowableOfType(KubernetesClientException.class, () -> send(client, patch));

            assertThat(failure.getCode()).isEqualTo(422);
            assertThat(web.get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .extracting(e -> e.getName()).containsExactly("NEW", "A", "HAND", "B");
        }
    }

    private static void send(KubernetesClient client, tools.jackson.databind.node.ArrayNode patch) {
        client.apps().deployments().inNamespace("shop").withName("web").patch(PatchContext.of(PatchType.JSON), Serialization.asJson(patch));
    }

    private static Deployment deployment(String... env) {
        var container = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("app").withImage("nginx");
        for (String name : env) {
            container.addNewEnv().withName(name).withValue("v").endEnv();
        }
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addToContainers(container.build()).endSpec().endTemplate().endSpec().build();
    }

    private static JsonNode tree(Deployment deployment) {
        return Serialization.jsonMapper().valueToTree(deployment);
    }

    private static JsonNode json(String text) {
        return Serialization.jsonMapper().readTree(text);
    }
}
