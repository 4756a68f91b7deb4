package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health through the CLI in process against the sandbox, whose controllers write status a moment after each write: a
 * Deployment in Git that carries {@code sandbox.driftwarden.io/fail: "true"} rolls out into
 * {@code ProgressDeadlineExceeded}, and {@code run} exits 1 naming it and the reason — in its output, the audit trail,
 * the report, {@code history} and the metrics; with {@code run --wait} a healthy Deployment is seen turn from InProgress
 * to Current, and the run exits 0. What it cannot prove: a real controller's timing or any status the sandbox does not write.
 */
class HealthStoryIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("shop");

    @Test
    void aDeploymentThatNeverBecomesAvailableFailsTheRunWithItsNameAndReasonEverywhere() throws Exception {
        stage.sandbox().statusDelay(Duration.ofMillis(100));
        Path config = config(deployment("web", "  annotations:\n    sandbox.driftwarden.io/fail: \"true\"\n"), "health: {wait: 30s}");

        InProcess.Outcome run = InProcess.cli("run", "--config", config.toString(), "--metrics-file", tmp.resolve("metrics.prom").toString());

        assertThat(run.exit()).as(run.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("error: binding shop: health: Deployment/shop/web is Failed: ProgressDeadlineExceeded: ReplicaSet \"web-");
        assertThat(run.out()).containsPattern("HEALTH +Deployment/shop/web +Failed +ProgressDeadlineExceeded: ReplicaSet \"web-[0-9a-f]+\" has timed out progressing\\.")
                .contains("HEALTH FAILED: 1 objects unhealthy", "1 unhealthy", "exit 1");

        InProcess.Outcome report = InProcess.cli("report", "--config", config.toString(), "--format", "csv");
        List<CSVRecord> health = CliE2E.csv(report.out()).stream().filter(r -> r.get("event").equals("HEALTH")).toList();
        assertThat(health).singleElement().satisfies(row -> {
            assertThat(row.get("subject")).isEqualTo("Deployment/shop/web");
            assertThat(row.get("health_state")).isEqualTo("Failed");
            assertThat(row.get("health_message")).startsWith("ProgressDeadlineExceeded: ");
        });
        InProcess.Outcome json = InProcess.cli("report", "--config", config.toString(), "--format", "json");
        assertThat(json.out()).contains("\"healthFailed\" : 1");

        InProcess.Outcome history = InProcess.cli("history", "--config", config.toString());
        assertThat(history.out()).contains("shop: drifts 1, corrected 1, failed 0, unmanaged 0, health failed 1");
        String runId = history.out().lines().skip(1).findFirst().orElseThrow().split(" ")[0];
        assertThat(InProcess.cli("history", "--config", config.toString(), "--run", runId).out())
                .containsPattern("Deployment/shop/web +HEALTH +- +- +Failed");
        assertThat(Files.readString(tmp.resolve("metrics.prom")))
                .contains("driftwarden_health{binding=\"shop\",cluster=\"sandbox\",state=\"Failed\"} 1.0",
                        "driftwarden_health_failed_total{binding=\"shop\",cluster=\"sandbox\"} 1.0");
    }

    @Test
    void runWaitSeesTheRolloutTurnFromInProgressToCurrent() throws Exception {
        stage.sandbox().statusDelay(Duration.ofMillis(1500));
        Path config = config(deployment("web", ""), null);

        InProcess.Outcome run = InProcess.cli("run", "--config", config.toString(), "--wait", "30s", "--format", "json");

        assertThat(run.exit()).as(run.all()).isZero();
        var binding = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().readTree(run.out()).path("bindings").get(0);
        assertThat(binding.at("/health/0/subject").asString()).isEqualTo("Deployment/shop/web");
        assertThat(binding.at("/health/0/state").asString()).isEqualTo("Current");
        assertThat(binding.at("/objects/0/health/state").asString()).isEqualTo("Current");
        assertThat(binding.at("/healthLists").asInt()).as("the first read, right after the write, found it InProgress: polled again")
                .isGreaterThanOrEqualTo(2);
        assertThat(binding.at("/healthWaitedMillis").asLong()).isGreaterThanOrEqualTo(1000);
        InProcess.Outcome rows = InProcess.cli("report", "--config", config.toString(), "--format", "csv");
        assertThat(CliE2E.csv(rows.out())).filteredOn(r -> r.get("event").equals("HEALTH")).extracting(r -> r.get("health_state"))
                .containsExactly("Current");

        // and without --wait the same write is read once: InProgress, reported, not a failure
        Files.writeString(tmp.resolve("repo/shop/web.yaml"), deployment("web", "").replace("replicas: 2", "replicas: 3"));
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(tmp.resolve("repo").toFile())) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("three").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").setSign(false).call();
        }
        InProcess.Outcome noWait = InProcess.cli("run", "--config", config.toString());
        assertThat(noWait.exit()).as(noWait.all()).isZero();
        assertThat(noWait.out()).containsPattern("HEALTH +Deployment/shop/web +InProgress +LatestGenerationNotObserved: ");
    }

    @Test
    void runWaitIsRefusedWhenItIsNotADuration() throws Exception {
        Path config = config(deployment("web", ""), null);

        InProcess.Outcome run = InProcess.cli("run", "--config", config.toString(), "--wait", "soon");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--wait must be a number and a unit (s, m, h), such as 90s or 2m, not 'soon'");
    }

    private Path config(String deployment, String health) throws Exception {
        CliE2E.repo(tmp.resolve("repo"), "shop/web.yaml", deployment);
        return Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: shop, cluster: sandbox, namespace: shop, mode: enforce%s}]
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig")),
                health == null ? "" : ", " + health));
    }

    private static String deployment(String name, String annotations) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                %2$sspec:
                  replicas: 2
                  progressDeadlineSeconds: 600
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      containers:
                      - {name: web, image: nginx:1.27}
                """.formatted(name, annotations);
    }
}
