package io.driftwarden.jobs.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.sandbox.SandboxRequest;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What left Git, against the sandbox and a real H2 audit store: pruned last in reverse kind order with its audit rows,
 * or kept by each guard with the reason recorded; and objects nobody manages reported. What the sandbox cannot prove:
 * how long a real server takes to finish a deletion (finalizers, foreground cascading).
 */
class PruneIT {

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
    void whatLeftGitIsDeletedLastInReverseKindOrderEachBetweenItsRowsAndTheNextRunIsQuiet() throws Exception {
        try (GitRepo repo = fourObjects(world.repo("repo")); KubernetesClient client = world.sandbox.client()) {
            DriftwardenConfig config = world.config(sources(repo, "enforce", "prune: true"));
            assertThat(world.reconcile(config, "shop").error()).isNull();

            repo.delete("app/b.yaml").delete("app/svc.yaml").commit("b and the service leave Git");
            BindingResult pruned = world.reconcile(config, "shop");

            assertThat(pruned.error()).isNull();
            assertThat(pruned.changes()).filteredOn(c -> c.action() == Action.DELETED).extracting(c -> c.key().subject())
                    .containsExactly("Service/shop/svc", "ConfigMap/shop/b");
            assertThat(world.events(world.lastRunId())).containsExactly("INTENT Service/shop/svc", "CORRECTED Service/shop/svc",
                    "INTENT ConfigMap/shop/b", "CORRECTED ConfigMap/shop/b");
            assertThat(client.services().inNamespace("shop").withName("svc").get()).isNull();
            assertThat(client.configMaps().inNamespace("shop").withName("b").get()).isNull();
            assertThat(pruned.driftLeft()).isFalse();

            world.sandbox.clearRequests();
            BindingResult quiet = world.reconcile(config, "shop");
            assertThat(quiet.drifts()).noneMatch(d -> d.drifted());
            assertThat(world.writes()).isEmpty();
            assertThat(world.gets()).isEmpty();
            assertThat(world.lists()).extracting(SandboxRequest::path).containsExactlyInAnyOrder(
                    "/api/v1/namespaces/shop/configmaps?limit=500", "/apis/apps/v1/namespaces/shop/deployments?limit=500");
        }
    }

    @Test
    void aKindThatLeftGitEntirelyIsStillFoundThroughTheInventory() throws Exception {
        try (GitRepo repo = fourObjects(world.repo("repo")); KubernetesClient client = world.sandbox.client()) {
            DriftwardenConfig config = world.config(sources(repo, "enforce", "prune: true"));
            world.reconcile(config, "shop");
            // the label is gone too: only the inventory still knows the Service
            client.services().inNamespace("shop").withName("svc").edit(s -> new ServiceBuilder(s).editMetadata()
                    .removeFromLabels("driftwarden.io/binding").endMetadata().build());

            repo.delete("app/svc.yaml").commit("no Service in Git any more");
            world.sandbox.clearRequests();
            BindingResult pruned = world.reconcile(config, "shop");

            assertThat(world.lists()).extracting(SandboxRequest::path).contains("/api/v1/namespaces/shop/services?limit=500");
            assertThat(pruned.changes()).extracting(c -> c.action() + " " + c.key().subject()).contains("DELETED Service/shop/svc");
        }
    }

    @Test
    void withoutPruneWhatLeftGitIsRecordedLeftInPlaceAndCountsAsDrift() throws Exception {
        try (GitRepo repo = fourObjects(world.repo("repo")); KubernetesClient client = world.sandbox.client()) {
            DriftwardenConfig config = world.config(sources(repo, "enforce", "prune: false"));
            world.reconcile(config, "shop");

            repo.delete("app/b.yaml").commit("b leaves Git");
            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.changes()).filteredOn(c -> c.key().name().equals("b")).singleElement().satisfies(c -> {
                assertThat(c.action()).isEqualTo(Action.SKIPPED);
                assertThat(c.detail()).contains("prune is off");
            });
            assertThat(result.driftLeft()).isTrue();
            assertThat(world.events(world.lastRunId())).containsExactly("DETECTED ConfigMap/shop/b");
            assertThat(client.configMaps().inNamespace("shop").withName("b").get()).isNotNull();
        }
    }

    @Test
    void auditModeNeverPrunes() throws Exception {
        try (GitRepo repo = fourObjects(world.repo("repo")); KubernetesClient client = world.sandbox.client()) {
            world.reconcile(world.config(sources(repo, "enforce", "prune: true")), "shop");
            repo.delete("app/b.yaml").commit("b leaves Git");

            BindingResult audit = world.reconcile(world.config(sources(repo, "audit", "prune: true")), "shop");

            assertThat(audit.changes()).filteredOn(c -> c.key().name().equals("b")).extracting(Change::action).containsExactly(Action.SKIPPED);
            assertThat(client.configMaps().inNamespace("shop").withName("b").get()).isNotNull();
        }
    }

    @Test
    void eachGuardKeepsItsObjectAndSaysWhy() throws Exception {
        try (GitRepo repo = fourObjects(world.repo("repo")); KubernetesClient client = world.sandbox.client()) {
            DriftwardenConfig config = world.config(sources(repo, "enforce", "prune: true"));
            world.reconcile(config, "shop");
            client.configMaps().inNamespace("shop").withName("a").edit(cm -> {
                cm.getMetadata().getAnnotations().put("driftwarden.io/prune", "disabled");
                return cm;
            });
            client.configMaps().inNamespace("shop").withName("b").edit(cm -> {
                cm.getMetadata().getLabels().put("driftwarden.io/binding", "payments");
                return cm;
            });

            repo.delete("app/a.yaml").delete("app/b.yaml").commit("a and b leave Git");
            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.changes()).filteredOn(c -> c.action() == Action.SKIPPED).extracting(Change::detail)
                    .containsExactlyInAnyOrder("not pruned: annotated driftwarden.io/prune: disabled", "not pruned: binding payments claims it");
            assertThat(client.configMaps().inNamespace("shop").list().getItems()).hasSize(2);
        }
    }

    @Test
    void nothingIsPrunedWhenRenderingProducedNoObjects() throws Exception {
        try (GitRepo repo = fourObjects(world.repo("repo")); KubernetesClient client = world.sandbox.client()) {
            DriftwardenConfig config = world.config(sources(repo, "enforce", "prune: true\n    maxPrune: 10"));
            world.reconcile(config, "shop");

            repo.delete("app/a.yaml").delete("app/b.yaml").delete("app/svc.yaml").delete("app/web.yaml")
                .write("app/README.md", "manifests moved\n").commit("everything left");
            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.changes()).extracting(Change::detail).containsOnly("not pruned: rendering produced no objects");
            assertThat(client.configMaps().inNamespace("shop").list().getItems()).hasSize(2);
        }
    }

    @Test
    void moreThanMaxPruneFailsTheBindingAndWritesNothing() throws Exception {
        try (GitRepo repo = fourObjects(world.repo("repo")); KubernetesClient client = world.sandbox.client()) {
            DriftwardenConfig config = world.config(sources(repo, "enforce", "prune: true"));
            world.reconcile(config, "shop");

            // a wrong path or ref looks like this: three of four objects gone, and one new
            repo.delete("app/a.yaml").delete("app/b.yaml").delete("app/svc.yaml").write("app/c.yaml", Manifests.configMap("c", "k", "v"))
                .commit("most objects left");
            world.sandbox.clearRequests();
            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains("3 objects left Git, more than this binding may prune in one run (maxPrune 2: half its inventory of 4)");
            assertThat(world.writes()).isEmpty();
            assertThat(client.configMaps().inNamespace("shop").withName("c").get()).isNull();
        }
    }

    @Test
    void objectsNoBindingManagesAreReportedNeverTouchedAndDoNotChangeTheOutcome() throws Exception {
        try (GitRepo repo = fourObjects(world.repo("repo")); KubernetesClient client = world.sandbox.client()) {
            client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("hand-made-svc").endMetadata()
                    .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
            client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt")
                    .endMetadata().addToData("ca.crt", "-----BEGIN CERTIFICATE-----").build()).create();
            client.serviceAccounts().inNamespace("shop").resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName("default").endMetadata().build()).create();
            DriftwardenConfig config = world.config(sources(repo, "enforce", "prune: true"));

            BindingResult first = world.reconcile(config, "shop");
            BindingResult second = world.reconcile(config, "shop");

            assertThat(first.unmanaged()).extracting(k -> k.subject()).containsExactly("Service/shop/hand-made-svc");
            assertThat(second.unmanaged()).extracting(k -> k.subject()).containsExactly("Service/shop/hand-made-svc");
            assertThat(second.driftLeft()).isFalse();
            assertThat(second.failed()).isFalse();
            assertThat(world.events(world.lastRunId())).containsExactly("UNMANAGED Service/shop/hand-made-svc");
            assertThat(client.services().inNamespace("shop").withName("hand-made-svc").get()).isNotNull();
        }
    }

    private static GitRepo fourObjects(GitRepo repo) throws Exception {
        repo.write("app/a.yaml", Manifests.configMap("a", "k", "v"))
            .write("app/b.yaml", Manifests.configMap("b", "k", "v"))
            .write("app/svc.yaml", Manifests.service("svc"))
            .write("app/web.yaml", Manifests.deployment("web", 1, "nginx:1.27"))
            .commit("four objects");
        return repo;
    }

    private static String sources(GitRepo repo, String mode, String prune) {
        return """
                sources:
                  - {name: repo, url: "%s"}
                bindings:
                  - name: shop
                    source: repo
                    path: app
                    cluster: sandbox
                    namespace: shop
                    mode: %s
                    %s
                """.formatted(repo.url(), mode, prune);
    }
}
