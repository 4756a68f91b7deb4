package io.driftwarden.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.RunContext;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import io.driftwarden.sandbox.Sandbox;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Two clusters in one run through the Spring Batch job, one of which answers nothing until the test lets it: the other
 * cluster's bindings all finish while the slow one has not yet sent a single answer. Ordering, not milliseconds, so it
 * holds on a loaded machine. (Two in-process sandboxes: not two real API servers with their own admission.)
 */
class ClustersSideBySideIT {

    private static final int FAST_BINDINGS = 6;
    private static final int SLOW_BINDINGS = 4;

    @TempDir
    Path tmp;

    private World world;
    private Sandbox slow;
    private AnnotationConfigApplicationContext spring;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp);
        slow = Sandbox.start(0);
        IntStream.range(0, FAST_BINDINGS).forEach(i -> world.sandbox.createNamespaces("f-" + i));
        IntStream.range(0, SLOW_BINDINGS).forEach(i -> slow.createNamespaces("s-" + i));
        spring = new AnnotationConfigApplicationContext();
        spring.getBeanFactory().registerSingleton(ReconcileJobConfiguration.DATA_SOURCE, world.audit.dataSource());
        spring.register(ReconcileJobConfiguration.class);
        spring.refresh();
    }

    @AfterEach
    void stop() throws Exception {
        slow.releaseAnswers();
        spring.close();
        slow.close();
        world.close();
    }

    @Test
    void aClusterThatDoesNotAnswerNeverHoldsUpTheOthersBindings() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient fastKubectl = world.sandbox.client();
             KubernetesClient slowKubectl = slow.client()) {
            StringBuilder bindings = new StringBuilder();
            // the slow cluster's bindings come first in config order: with fixed slots they would take all four
            for (int i = 0; i < SLOW_BINDINGS; i++) {
                repo.write("s-" + i + "/cm.yaml", Manifests.configMap("cm", "k", "v"));
                bindings.append(binding("s-" + i, "slow"));
            }
            for (int i = 0; i < FAST_BINDINGS; i++) {
                repo.write("f-" + i + "/cm.yaml", Manifests.configMap("cm", "k", "v"));
                bindings.append(binding("f-" + i, "fast"));
            }
            repo.commit("one ConfigMap per binding");
            DriftwardenConfig config = ConfigLoader.parse("""
                    audit:
                      url: %s
                    run:
                      parallelBindings: 4
                    clusters:
                      - name: slow
                        kubeconfig: %s
                        requestTimeout: 10m
                      - name: fast
                        kubeconfig: %s
                    sources:
                      - name: repo
                        url: %s
                    bindings:
                    """.formatted(world.auditUrl, slow.writeKubeconfig(tmp.resolve("slow-kubeconfig")),
                    world.sandbox.writeKubeconfig(tmp.resolve("fast-kubeconfig")), repo.url()) + bindings, tmp.resolve("driftwarden.yaml"));

            slow.holdAnswers();
            CompletableFuture<List<BindingResult>> run = CompletableFuture.supplyAsync(() -> run(config, "run-side-by-side"));

            // every fast binding finishes (its last rows, HEALTH, are committed at its end) while the slow cluster has
            // received requests and answered none of them
            await().atMost(3, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertThat(
                    world.events("run-side-by-side")).filteredOn(e -> e.startsWith("HEALTH ConfigMap/f-")).hasSize(FAST_BINDINGS));
            assertThat(slow.heldRequests()).as("the slow cluster's bindings were in flight, unanswered").isPositive();
            assertThat(world.events("run-side-by-side")).noneMatch(e -> e.contains("/s-"));
            assertThat(run).isNotDone();
            for (int i = 0; i < FAST_BINDINGS; i++) {
                assertThat(fastKubectl.configMaps().inNamespace("f-" + i).withName("cm").get()).isNotNull();
            }

            // then the slow cluster answers, and its bindings finish too
            slow.releaseAnswers();
            List<BindingResult> results = run.get(3, TimeUnit.MINUTES);
            assertThat(results).hasSize(SLOW_BINDINGS + FAST_BINDINGS).allSatisfy(r -> {
                assertThat(r.failed()).as(r.binding() + ": " + r.error()).isFalse();
                assertThat(r.correctedCount()).isEqualTo(1);
            });
            for (int i = 0; i < SLOW_BINDINGS; i++) {
                assertThat(slowKubectl.configMaps().inNamespace("s-" + i).withName("cm").get()).isNotNull();
            }
        }
    }

    private List<BindingResult> run(DriftwardenConfig config, String runId) {
        try (Clusters clusters = new Clusters()) {
            return spring.getBean(ReconcileJobRunner.class).run(config, config.bindings(), new RunContext(runId, "manual"), world.audit,
                    new SourceReader(tmp.resolve("git-cache"), config.limits()), clusters);
        }
    }

    private static String binding(String name, String cluster) {
        return """
                  - name: %1$s
                    source: repo
                    path: %1$s
                    cluster: %2$s
                    namespace: %1$s
                    mode: enforce
                """.formatted(name, cluster);
    }
}
