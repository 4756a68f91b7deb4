package io.driftwarden.jobs.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CRD and its custom resources in one binding, a kind the cluster does not serve, and a change the server refuses
 * as immutable, against the sandbox (which marks a CRD Established at once, answers 404 for a custom kind whose CRD it
 * does not hold and 422 for a changed apps/v1 selector, as a real server does). What it cannot prove: how long a real
 * server takes to establish a CRD or to finish deleting an object with finalizers.
 */
class KindsAndReplaceIT {

    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec: {type: object, properties: {size: {type: integer}}}
            """;

    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("shop").clearRequests();
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void aCrdAndItsResourcesInOneBindingAreAppliedInOrderAndTheSecondRunWritesNothing() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("app/crd.yaml", CRD)
                .write("app/widget.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n")
                .commit("crd and widget");
            DriftwardenConfig config = world.config(sources(repo));

            BindingResult first = world.reconcile(config, "shop");

            assertThat(first.error()).isNull();
            assertThat(first.changes()).extracting(c -> c.action() + " " + c.key().subject())
                    .containsExactly("CREATED CustomResourceDefinition/widgets.example.com", "CREATED Widget/shop/w1");
            assertThat(client.genericKubernetesResources("example.com/v1", "Widget").inNamespace("shop").withName("w1").get()
                    .getAdditionalProperties()).containsKey("spec");

            world.sandbox.clearRequests();
            BindingResult second = world.reconcile(config, "shop");
            assertThat(second.drifts()).noneMatch(d -> d.drifted());
            assertThat(world.writes()).isEmpty();
        }
    }

    @Test
    void aKindTheClusterDoesNotServeIsRefusedWithItsFileAndLineAndTheRestIsApplied() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("app/gadget.yaml", "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\n")
                .write("app/cm.yaml", Manifests.configMap("settings", "color", "blue"))
                .commit("an unknown kind");

            BindingResult result = world.reconcile(world.config(sources(repo)), "shop");

            assertThat(result.changes()).extracting(c -> c.action() + " " + c.key().subject())
                    .containsExactlyInAnyOrder("CREATED ConfigMap/shop/settings", "REFUSED Gadget/shop/g1");
            // its scope cannot be established, so tenancy cannot place it: refused before any request
            assertThat(result.changes()).filteredOn(c -> c.action() == Action.REFUSED).singleElement()
                    .satisfies(c -> assertThat(c.detail()).startsWith("app/gadget.yaml:1: Gadget/shop/g1 refused: the scope of example.com/v1 "
                            + "Gadget cannot be established").contains("the cluster does not serve it"));
            assertThat(world.writes()).noneMatch(w -> w.path().contains("gadget"));
            assertThat(client.configMaps().inNamespace("shop").withName("settings").get()).isNotNull();
        }
    }

    @Test
    void anObjectForANamespaceThatDoesNotExistFailsWithTheServersWordsNotAMissingKind() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            // given a binding into a namespace the cluster does not hold
            repo.write("app/cm.yaml", Manifests.configMap("settings", "color", "blue")).commit("settings");
            DriftwardenConfig config = world.config(sources(repo).replace("namespace: shop", "namespace: stock"));

            // when it enforces
            BindingResult result = world.reconcile(config, "shop");

            // then the failure says what the server said: the namespace is missing, not the kind
            assertThat(result.changes()).singleElement().satisfies(c -> {
                assertThat(c.action()).isEqualTo(Action.FAILED);
                assertThat(c.detail()).contains("namespaces \"stock\" not found").doesNotContain("does not serve", "CustomResourceDefinition");
            });
        }
    }

    @Test
    void anImmutableChangeFailsWithWhatToDoAndTheReplaceAnnotationDeletesAndRecreates() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("app/web.yaml", deployment("web", "")).commit("web");
            DriftwardenConfig config = world.config(sources(repo));
            assertThat(world.reconcile(config, "shop").error()).isNull();

            repo.write("app/web.yaml", deployment("web-v2", "")).commit("a new selector");
            BindingResult refused = world.reconcile(config, "shop");
            assertThat(refused.changes()).singleElement().satisfies(c -> {
                assertThat(c.action()).isEqualTo(Action.FAILED);
                assertThat(c.detail()).contains("spec.selector", "field is immutable", "driftwarden.io/replace");
            });

            repo.write("app/web.yaml", deployment("web-v2", "  annotations: {driftwarden.io/replace: \"true\"}\n")).commit("replace it");
            BindingResult replaced = world.reconcile(config, "shop");

            assertThat(replaced.changes()).extracting(Change::action).containsExactly(Action.REPLACED);
            assertThat(client.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getSelector().getMatchLabels())
                    .containsEntry("app", "web-v2");
            assertThat(world.events(world.lastRunId())).containsExactly("INTENT Deployment/shop/web", "FAILED Deployment/shop/web",
                    "INTENT Deployment/shop/web", "CORRECTED Deployment/shop/web", "HEALTH Deployment/shop/web"); // its health read once after the write
        }
    }

    private static String deployment(String app, String annotations) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                %sspec:
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers: [{name: web, image: "nginx:1.27"}]
                """.formatted(annotations, app, app);
    }

    private static String sources(GitRepo repo) {
        return """
                sources:
                  - {name: repo, url: "%s"}
                bindings:
                  - {name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce,
                     allowClusterKinds: [CustomResourceDefinition]}
                """.formatted(repo.url());
    }
}
