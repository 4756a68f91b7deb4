package io.driftwarden.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.RunContext;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The Spring Batch job {@code reconcile}, one partition per binding, against the sandbox and an H2 file: a binding
 * that fails never stops the others. (The sandbox cannot prove defaults, admission or field ownership.)
 */
class ReconcileJobIT {

    @TempDir
    Path tmp;

    private World world;
    private AnnotationConfigApplicationContext spring;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("good", "broken", "lost");
        spring = new AnnotationConfigApplicationContext();
        spring.getBeanFactory().registerSingleton(ReconcileJobConfiguration.DATA_SOURCE, world.audit.dataSource());
        spring.register(ReconcileJobConfiguration.class);
        spring.refresh();
    }

    @AfterEach
    void stop() throws Exception {
        spring.close();
        world.close();
    }

    @Test
    void aBindingWhoseManifestsDoNotParseFailsAloneWithFileAndLine() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient kubectl = world.sandbox.client()) {
            // given one healthy binding and one whose path holds a good file and a broken one
            repo.write("good/cm.yaml", Manifests.configMap("settings", "color", "blue"))
                .write("broken/cm.yaml", Manifests.configMap("fine", "k", "v"))
                .write("broken/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  key: [unclosed\n")
                .commit("one broken file");
            DriftwardenConfig config = world.config(sources(repo) + binding("good") + binding("broken"));

            // when
            List<BindingResult> results = run(config, "run-1");

            // then the broken binding failed with file:line and applied nothing; the other reconciled
            assertThat(results).extracting(BindingResult::binding).containsExactly("good", "broken");
            assertThat(results.get(0).failed()).isFalse();
            assertThat(results.get(0).correctedCount()).isEqualTo(1);
            assertThat(results.get(1).failed()).isTrue();
            assertThat(results.get(1).error()).contains("broken/bad.yaml:7: ");
            assertThat(kubectl.configMaps().inNamespace("good").withName("settings").get()).isNotNull();
            assertThat(kubectl.configMaps().inNamespace("broken").withName("fine").get()).isNull();
            assertThat(world.events("run-1")).containsExactlyInAnyOrder("INTENT ConfigMap/good/settings", "CORRECTED ConfigMap/good/settings", "HEALTH ConfigMap/good/settings",
                    "FAILED ")
                    .hasSize(4);
        }
    }

    @Test
    void aMissingRepositoryFailsThatBindingAlone() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("good/cm.yaml", Manifests.configMap("settings", "color", "blue")).commit("initial");
            String missing = tmp.resolve("no-such-repo").toUri().toString();
            DriftwardenConfig config = world.config("""
                    sources:
                      - name: repo
                        url: %s
                      - name: gone
                        url: %s
                    bindings:
                    """.formatted(repo.url(), missing) + binding("good") + """
                      - name: lost
                        source: gone
                        path: app
                        cluster: sandbox
                        namespace: lost
                        mode: enforce
                    """);

            List<BindingResult> results = run(config, "run-2");

            assertThat(results.get(0).failed()).isFalse();
            assertThat(results.get(0).correctedCount()).isEqualTo(1);
            assertThat(results.get(1).error()).startsWith("binding lost: cannot fetch " + missing);
        }
    }

    @Test
    void aFailedBindingFailsItsPartitionAndTheRepositoryNamesItAsUnfinished() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("good/cm.yaml", Manifests.configMap("settings", "color", "blue"))
                .write("broken/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fixed\ndata:\n  key: [unclosed\n")
                .commit("one broken file");
            DriftwardenConfig config = world.config(sources(repo) + binding("good") + binding("broken"));
            run(config, "run-3");
            JobRepository jobs = spring.getBean(JobRepository.class);
            JobExecution failed = jobs.getLastJobExecution(ReconcileJobConfiguration.JOB_NAME,
                    new JobParametersBuilder().addString("runId", "run-3").toJobParameters());
            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(failed.getJobParameters().getString("bindings")).isEqualTo("good,broken");
            assertThat(failed.getJobParameters().getString("mode")).isEqualTo("ENFORCE");

            ReconcileJobRunner.Recorded recorded = spring.getBean(ReconcileJobRunner.class).recorded("run-3").orElseThrow();

            assertThat(recorded.endedUnfinished()).isTrue();
            assertThat(recorded.unfinishedBindings()).containsExactly("broken");
            assertThat(recorded.mode()).isEqualTo("ENFORCE");
        }
    }

    @Test
    void aRunOfBindingsWhoseNamesTakeMoreThanSpringBatchsParameterColumnRunsAndRecordsThemAll() throws Exception {
        // given 60 bindings whose names, comma-joined, take 2,819 characters: Spring Batch's schema gives a job parameter
        // 2,500, and a run records its bindings in one (the W×10 benchmark's 500 bindings failed before their first)
        try (GitRepo repo = world.repo("repo")) {
            repo.write("app/cm.yaml", Manifests.configMap("settings", "color", "blue")).commit("one object");
            StringBuilder bindings = new StringBuilder(sources(repo));
            List<String> names = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String name = "a-team-whose-binding-has-a-long-name-number-%02d".formatted(i);
                names.add(name);
                world.sandbox.createNamespaces(name);
                bindings.append(binding(name).replace("path: " + name, "path: app"));
            }
            DriftwardenConfig config = world.config(bindings.toString());

            // when
            List<BindingResult> results = run(config, "run-many");

            // then every binding ran, and the job repository names them all, as the restart of an unfinished run reads them
            assertThat(String.join(",", names)).hasSizeGreaterThan(2500);
            assertThat(results).hasSize(60).allSatisfy(r -> assertThat(r.error()).isNull());
            assertThat(results).extracting(BindingResult::correctedCount).containsOnly(1L);
            JobExecution execution = spring.getBean(JobRepository.class).getLastJobExecution(ReconcileJobConfiguration.JOB_NAME,
                    new JobParametersBuilder().addString("runId", "run-many").toJobParameters());
            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(execution.getJobParameters().getString("bindings")).isEqualTo(String.join(",", names));
        }
    }

    private List<BindingResult> run(DriftwardenConfig config, String runId) {
        try (Clusters clusters = new Clusters()) {
            return spring.getBean(ReconcileJobRunner.class).run(config, config.bindings(), new RunContext(runId, "manual"), world.audit,
                    new SourceReader(tmp.resolve("git-cache"), config.limits()), clusters);
        }
    }

    private static String sources(GitRepo repo) {
        return """
                sources:
                  - name: repo
                    url: %s
                bindings:
                """.formatted(repo.url());
    }

    private static String binding(String name) {
        return """
                  - name: %1$s
                    source: repo
                    path: %1$s
                    cluster: sandbox
                    namespace: %1$s
                    mode: enforce
                """.formatted(name);
    }
}
