package io.driftwarden.jobs.exceptions;

import static io.driftwarden.jobs.support.World.binding;
import static io.driftwarden.jobs.support.World.sources;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.Reconciler;
import io.driftwarden.jobs.RunContext;
import io.driftwarden.jobs.lifecycle.BindingLeases;
import io.driftwarden.jobs.lifecycle.RunStop;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exceptions in the pipeline against the sandbox and a real Git repository: a covered hand change costs no request
 * beyond the LISTs (no dry-run, no write) and is one EXCEPTED row; a drift only partly covered is corrected whole; after
 * the expiry the drift is EXPIRED and corrected. The run's clock is a fixed {@link Clock} in its {@link RunContext}. What
 * it does not prove: a real API server's managedFields for the same patches (SmdOracleIT checks the sandbox's).
 */
class ExceptionsIT {

    @TempDir
    Path tmp;

    private World world;
    private int runs;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("shop");
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void aCoveredHandChangeIsExceptedWithoutARequestAPartlyCoveredOneIsCorrectedAndAnExpiredOneToo() throws Exception {
        LocalDate today = LocalDate.now(Clock.systemUTC());
        Clock during = Clock.fixed(today.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        Clock after = Clock.fixed(today.plusDays(8).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        try (GitRepo repo = world.repo("repo"); KubernetesClient kubectl = world.sandbox.client()) {
            repo.write("app/deploy.yaml", Manifests.deployment("api", 3, "nginx:1.25"))
                    .write("app/settings.yaml", Manifests.configMap("settings", "color", "blue")).commit("initial");
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app") + """
                    exceptions:
                      - name: hotfix-replicas
                        binding: shop
                        kind: Deployment
                        name: api
                        paths: [spec.replicas]
                        reason: incident
                        approvedBy: lead@example.com
                        ticket: CHG-1234
                        expires: %s
                    """.formatted(today.plusDays(7)));
            assertThat(reconcile(config, during).correctedCount()).isEqualTo(2);
            var api = kubectl.apps().deployments().inNamespace("shop").withName("api");

            // given kubectl-edit scaled the Deployment (covered) and changed the ConfigMap (not covered)
            edit(api, "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5}]");
            kubectl.configMaps().inNamespace("shop").withName("settings").patch(new PatchContext.Builder().withPatchType(PatchType.JSON)
                    .withFieldManager("kubectl-edit").build(), "[{\"op\":\"replace\",\"path\":\"/data/color\",\"value\":\"red\"}]");
            world.sandbox.clearRequests();

            // when
            BindingResult held = reconcile(config, during);

            // then the Deployment is excepted with no request of its own, the ConfigMap corrected
            assertThat(held.exceptedCount()).isEqualTo(1);
            assertThat(held.driftCount()).isEqualTo(1);
            assertThat(held.correctedCount()).isEqualTo(1);
            assertThat(world.writes()).as("no dry-run, no write for the excepted Deployment")
                    .noneMatch(w -> w.path().contains("/deployments/api"));
            assertThat(api.get().getSpec().getReplicas()).isEqualTo(5);
            List<AuditRecord> rows = rowsOfLastRun();
            assertThat(rows).filteredOn(r -> r.entry().event() == EventType.EXCEPTED).singleElement().satisfies(r -> {
                assertThat(r.entry().name()).isEqualTo("api");
                assertThat(r.entry().action()).isEqualTo("SKIPPED");
                assertThat(r.entry().details().exceptionName()).isEqualTo("hotfix-replicas");
                assertThat(r.entry().details().changedBy()).matches("spec\\.replicas\tkubectl-edit\t\\d{4}-.+Z");
            });
            assertThat(rows).filteredOn(r -> "api".equals(r.entry().name())).extracting(r -> r.entry().event())
                    .containsExactly(EventType.EXCEPTED);
            assertThat(rows).filteredOn(r -> r.entry().event() == EventType.INTENT).singleElement()
                    .satisfies(r -> assertThat(r.entry().details().changedBy()).startsWith("data.color\tkubectl-edit\t"));

            // when kubectl-edit also changes the image: the exception covers only part of the drift
            edit(api, "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"nginx:hacked\"}]");
            BindingResult partly = reconcile(config, during);

            // then it is corrected as usual, which resets the replicas too
            assertThat(partly.exceptedCount()).isZero();
            assertThat(partly.correctedCount()).isEqualTo(1);
            assertThat(api.get().getSpec().getReplicas()).isEqualTo(3);

            // when the replicas are scaled by hand again, and the exception has expired
            edit(api, "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5}]");
            BindingResult expired = reconcile(config, after);

            // then the run names the expired exception and corrects the drift
            assertThat(expired.exceptedCount()).isZero();
            assertThat(expired.expired()).singleElement().asString().startsWith("exception hotfix-replicas (CHG-1234")
                    .contains("Deployment/shop/api spec.replicas is drift again");
            assertThat(rowsOfLastRun()).extracting(r -> r.entry().event() + " " + r.entry().name())
                    .containsExactly("EXPIRED api", "INTENT api", "CORRECTED api", "HEALTH api"); // the health step follows the writes
            assertThat(api.get().getSpec().getReplicas()).isEqualTo(3);
        }
    }

    private static void edit(io.fabric8.kubernetes.client.dsl.RollableScalableResource<io.fabric8.kubernetes.api.model.apps.Deployment> api,
                             String jsonPatch) {
        api.patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager("kubectl-edit").build(), jsonPatch);
    }

    /** One run of {@code shop} whose clock (for exceptions) is {@code clock}. */
    private BindingResult reconcile(DriftwardenConfig config, Clock clock) {
        String runId = "exc-run-" + (++runs);
        try (Clusters clusters = new Clusters()) {
            Reconciler reconciler = new Reconciler(config, new SourceReader(tmp.resolve("git-cache"), config.limits()), clusters, world.audit);
            BindingResult result = reconciler.reconcile(config.binding("shop"), new RunContext(runId, "manual", RunStop.never(),
                    BindingLeases.none(), clock));
            lastRun = runId;
            return result;
        }
    }

    private String lastRun;

    private List<AuditRecord> rowsOfLastRun() {
        return world.audit.records(ReportFilter.run(lastRun));
    }
}
