package io.driftwarden.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import io.driftwarden.sandbox.SandboxRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health after a binding's writes, through the whole pipeline against the sandbox, whose controllers write status a
 * moment after a write: a wait sees InProgress turn Current with one Deployment LIST per poll and no GET; the fail
 * annotation fails the binding with the condition's reason; without a wait health is read once; a wait that runs out
 * fails the binding; plan reports health from what it read, with no request of its own. Requests are counted at the
 * sandbox. What it cannot prove: how long a real controller takes, nor a real cluster's status beyond what the sandbox writes.
 */
class HealthWatchIT {

    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/shop/deployments";

    @TempDir
    Path tmp;

    @Test
    void aWaitSeesTheWrittenDeploymentTurnCurrentListingOnlyItsKindAndNamespace() throws Exception {
        try (World world = new World(tmp); GitRepo repo = world.repo("repo")) {
            world.sandbox.createNamespaces("shop").statusDelay(Duration.ofMillis(700));
            DriftwardenConfig config = shop(world, repo, Manifests.deployment("web", 2, "nginx:1.27") + "---\n"
                    + Manifests.configMap("settings", "k", "v"), "    health: {wait: 20s}\n");

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.failed()).as(String.valueOf(result.health().failure())).isFalse();
            assertThat(result.health().objects()).extracting(o -> o.key().subject() + " " + o.state())
                    .containsExactly("ConfigMap/shop/settings Current", "Deployment/shop/web Current");
            assertThat(result.health().lists()).as("the first read saw InProgress, a later poll Current").isGreaterThanOrEqualTo(2);
            List<SandboxRequest> afterWrite = afterLastWrite(world.sandbox.requests());
            assertThat(afterWrite).as("health polls are LISTs of the written Deployment's kind and namespace only").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.isList() && r.path().startsWith(DEPLOYMENTS + "?")).as(r.toString()).isTrue());
            assertThat(afterWrite).hasSize(result.health().lists());
            assertThat(world.gets()).as("never a GET per object").isEmpty();
            assertThat(healthRows(world)).extracting(r -> r.subject() + " " + r.entry().details().healthState())
                    .containsExactly("ConfigMap/shop/settings Current", "Deployment/shop/web Current");
        }
    }

    @Test
    void aDeploymentThatExceedsItsProgressDeadlineFailsTheBindingWithItsReason() throws Exception {
        try (World world = new World(tmp); GitRepo repo = world.repo("repo")) {
            world.sandbox.createNamespaces("shop").statusDelay(Duration.ofMillis(100));
            String failing = Manifests.deployment("web", 1, "nginx:1.27").replace("  labels:\n    app: web\n",
                    "  labels:\n    app: web\n  annotations:\n    sandbox.driftwarden.io/fail: \"true\"\n");
            DriftwardenConfig config = shop(world, repo, failing, "    health: {wait: 20s}\n");

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.failed()).isTrue();
            assertThat(result.error()).as("the binding itself was reconciled").isNull();
            assertThat(result.health().failure()).startsWith("Deployment/shop/web is Failed: ProgressDeadlineExceeded: ReplicaSet \"web-");
            assertThat(result.unhealthyCount()).isEqualTo(1);
            assertThat(healthRows(world)).singleElement().satisfies(row -> {
                assertThat(row.entry().details().healthState()).isEqualTo("Failed");
                assertThat(row.entry().details().healthMessage()).startsWith("ProgressDeadlineExceeded: ");
            });
        }
    }

    @Test
    void withoutAWaitHealthIsReadOnceAndInProgressDoesNotFailTheBinding() throws Exception {
        try (World world = new World(tmp); GitRepo repo = world.repo("repo")) {
            world.sandbox.createNamespaces("shop").statusDelay(Duration.ofMinutes(5));
            DriftwardenConfig config = shop(world, repo, Manifests.deployment("web", 1, "nginx:1.27"), "");

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.failed()).isFalse();
            assertThat(result.health().objects()).singleElement().satisfies(o -> {
                assertThat(o.state()).isEqualTo(HealthState.IN_PROGRESS);
                assertThat(o.health().reason()).isEqualTo("LessReplicas");
            });
            assertThat(afterLastWrite(world.sandbox.requests())).extracting(SandboxRequest::path)
                    .containsExactly(DEPLOYMENTS + "?limit=500");
        }
    }

    @Test
    void aWaitThatRunsOutWhileInProgressFailsTheBindingAndLeavesTheOthersAlone() throws Exception {
        try (World world = new World(tmp); GitRepo repo = world.repo("repo")) {
            world.sandbox.createNamespaces("shop", "other").statusDelay(Duration.ofMinutes(5));
            repo.write("shop/app.yaml", Manifests.deployment("web", 1, "nginx:1.27"))
                    .write("other/app.yaml", Manifests.deployment("api", 1, "nginx:1.27")).commit("two teams");
            DriftwardenConfig config = world.config(World.sources(repo) + World.binding("shop", "shop") + "    health: {wait: 1s}\n"
                    + World.binding("other", "other"));

            List<BindingResult> results = world.reconcileInOneRun(config, "shop", "other");

            assertThat(results.get(0).failed()).isTrue();
            assertThat(results.get(0).health().failure()).startsWith("Deployment/shop/web is InProgress: LessReplicas: ")
                    .endsWith("(still InProgress after 1s)");
            assertThat(results.get(0).health().waited()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(results.get(1).failed()).as("health never fails another binding").isFalse();
        }
    }

    @Test
    void planReportsTheHealthOfWhatItWouldCorrectFromWhatItReadWithoutARequestOfItsOwn() throws Exception {
        try (World world = new World(tmp); GitRepo repo = world.repo("repo")) {
            world.sandbox.createNamespaces("shop").statusDelay(Duration.ofMillis(50));
            String failing = Manifests.deployment("web", 1, "nginx:1.27").replace("  labels:\n    app: web\n",
                    "  labels:\n    app: web\n  annotations:\n    sandbox.driftwarden.io/fail: \"true\"\n");
            DriftwardenConfig enforce = shop(world, repo, failing, "");
            world.reconcile(enforce, "shop");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> world.sandbox.client().apps().deployments()
                    .inNamespace("shop").withName("web").get().getStatus().getConditions() != null);
            world.sandbox.client().apps().deployments().inNamespace("shop").withName("web").scale(3); // drift by hand
            // the sandbox's controller acts on the new generation after its status delay: until then the object is
            // InProgress, and a fast plan would read that
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                var web = world.sandbox.client().apps().deployments().inNamespace("shop").withName("web").get();
                return web.getStatus() != null && java.util.Objects.equals(web.getStatus().getObservedGeneration(), web.getMetadata().getGeneration());
            });
            world.sandbox.clearRequests();

            BindingResult plan = world.reconcile(world.config(World.sources(repo) + World.binding("shop", "shop").replace("enforce", "audit")), "shop");

            assertThat(plan.health().objects()).singleElement().satisfies(o -> {
                assertThat(o.key().subject()).isEqualTo("Deployment/shop/web");
                assertThat(o.state()).isEqualTo(HealthState.FAILED);
            });
            assertThat(plan.health().lists()).isZero();
            assertThat(plan.failed()).as("plan reports health, it does not enforce it").isFalse();
            assertThat(world.sandbox.requests()).as("the plan's own LISTs and its dry-run only")
                    .allSatisfy(r -> assertThat(r.isList() || r.path().contains("dryRun=All")).as(r.toString()).isTrue());
        }
    }

    private static DriftwardenConfig shop(World world, GitRepo repo, String manifests, String bindingKeys) throws Exception {
        repo.write("shop/app.yaml", manifests).commit("shop");
        return world.config(World.sources(repo) + World.binding("shop", "shop") + bindingKeys);
    }

    private static List<SandboxRequest> afterLastWrite(List<SandboxRequest> requests) {
        int last = -1;
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).isWrite() && !requests.get(i).path().contains("dryRun=")) {
                last = i;
            }
        }
        return requests.subList(last + 1, requests.size());
    }

    private static List<AuditRecord> healthRows(World world) {
        return world.audit.records(ReportFilter.all()).stream().filter(r -> r.entry().event() == EventType.HEALTH).toList();
    }
}
