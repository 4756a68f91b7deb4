package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.AuditSettings;
import io.driftwarden.cron.cli.Clocks;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The story for approved exceptions, with the real {@code kubectl edit} (its editor a sed script) and the CLI in
 * process against the sandbox and a real Git repository: a hand change an active exception covers is one EXCEPTED row
 * naming the exception, {@code plan} and {@code run} exit 0 and nothing is written; once the exception has expired (the
 * commands' clock moved ahead by the test-only {@link Clocks#OFFSET_PROPERTY}) {@code run} records it EXPIRED and corrects
 * the drift, and the report lists the exception as expired. What it cannot prove: how a real API server would record
 * the same edit's managedFields (the sandbox's are checked against structured-merge-diff in SmdOracleIT).
 */
class ExceptionsStoryIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage();

    @AfterEach
    void stopMovingTheClock() {
        System.clearProperty(Clocks.OFFSET_PROPERTY);
    }

    @Test
    void anActiveExceptionHoldsAKubectlEditUntilItExpiresThenRunCorrectsItAndTheReportSaysExpired() throws Exception {
        // given a Deployment in Git, reconciled, and an exception for its replicas that ends in a week
        Path kubeconfig = stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"));
        CliE2E.repo(tmp.resolve("repo"),
                "shop/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
                "shop/web.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                """);
        LocalDate expires = LocalDate.now(Clock.systemUTC()).plusDays(7);
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: shop, cluster: sandbox, namespace: shop, mode: enforce}]
                exceptions:
                  - name: hotfix-replicas
                    binding: shop
                    kind: Deployment
                    name: web
                    paths: [spec.replicas]
                    reason: scaled by hand during the incident, until the fix ships
                    approvedBy: platform-lead@example.com
                    ticket: CHG-1234
                    expires: %s
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), kubeconfig, expires));
        assertThat(InProcess.cli("run", "--config", config.toString()).exit()).isZero();

        // when someone scales it by hand with kubectl edit
        kubectlEdit(kubeconfig, "deployment/web", "s/replicas: 2/replicas: 5/");

        // then plan exits 0 and records one EXCEPTED row naming the exception, with who changed the path and when
        InProcess.Outcome plan = InProcess.cli("plan", "--config", config.toString());
        assertThat(plan.exit()).as(plan.all()).isEqualTo(ExitCodes.OK);
        assertThat(plan.out()).containsPattern("Deployment/shop/web\\s+MODIFIED\\s+EXCEPTED\\s+spec.replicas")
                .contains("excepted by hotfix-replicas (CHG-1234, approved by platform-lead@example.com, until " + expires + ")")
                .containsPattern("spec.replicas: differs from Git, changed by kubectl-edit at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ\n");
        assertThat(InProcess.cli("plan", "--diff", "paths", "--config", config.toString()).out())
                .containsPattern("~ spec.replicas: 5 -> 2 \\(differs from Git, changed by kubectl-edit at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ\\)");
        List<AuditRecord> excepted = rows(EventType.EXCEPTED).stream().filter(r -> r.entry().runId().equals(runId(plan))).toList();
        assertThat(excepted).hasSize(1);
        assertThat(excepted.get(0).entry().details().exceptionName()).isEqualTo("hotfix-replicas");
        assertThat(excepted.get(0).entry().changedPaths()).isEqualTo("spec.replicas");
        assertThat(excepted.get(0).entry().details().changedBy()).matches("spec\\.replicas\tkubectl-edit\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        // and run leaves it in place too (exit 0: excepted drift is no drift)
        InProcess.Outcome held = InProcess.cli("run", "--config", config.toString());
        assertThat(held.exit()).as(held.all()).isZero();
        assertThat(replicas()).isEqualTo(5);
        assertThat(InProcess.cli("history", "--config", config.toString(), "--limit", "1").out())
                .as("history counts the held drift as excepted, not as a drift").contains("shop: drifts 0, corrected 0, failed 0, unmanaged 0, excepted 1");
        assertThat(rows(EventType.INTENT).stream().filter(r -> "web".equals(r.entry().name()) && r.seq() > excepted.get(0).seq()))
                .as("no intent to correct an excepted drift").isEmpty();

        // when the exception has expired (the day after its last)
        System.setProperty(Clocks.OFFSET_PROPERTY, "P8D");
        InProcess.Outcome run = InProcess.cli("run", "--config", config.toString());

        // then run says so, records it EXPIRED and corrects the drift
        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("EXPIRED  exception hotfix-replicas (CHG-1234").contains("is drift again")
                .containsPattern("Deployment/shop/web\\s+MODIFIED\\s+CONFIGURED\\s+spec.replicas");
        assertThat(rows(EventType.EXPIRED)).singleElement().satisfies(r -> assertThat(r.entry().details().exceptionName()).isEqualTo("hotfix-replicas"));
        assertThat(rows(EventType.CORRECTED)).anySatisfy(r -> assertThat(r.entry().changedPaths()).isEqualTo("spec.replicas"));
        assertThat(replicas()).isEqualTo(2);

        // and the report lists the exception as expired, the drift as excepted then corrected, and who changed it
        InProcess.Outcome report = InProcess.cli("report", "--format", "json", "--config", config.toString());
        assertThat(report.exit()).as(report.err()).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(report.out());
        assertThat(json.at("/exceptions/expired/0/name").asString()).isEqualTo("hotfix-replicas");
        assertThat(json.at("/exceptions/active")).isEmpty();
        assertThat(json.at("/summary/0/excepted").asLong()).as("held, then corrected: no longer excepted").isZero();
        JsonNode replicasDrift = null;
        for (JsonNode drift : json.get("drifts")) {
            if (drift.get("path").asString().equals("spec.replicas")) {
                replicasDrift = drift;
            }
        }
        assertThat(replicasDrift).as(report.out()).isNotNull();
        assertThat(replicasDrift.get("done").asString()).isEqualTo("EXCEPTED ×3 → EXPIRED → INTENT CONFIGURED → CORRECTED");
        assertThat(replicasDrift.get("outcome").asString()).isEqualTo("corrected");
        assertThat(replicasDrift.get("changedBy").asString()).startsWith("kubectl-edit at ");
        InProcess.Outcome html = InProcess.cli("report", "--format", "html", "--config", config.toString());
        assertThat(html.out()).contains("<td class=\"expired\">expired</td><td>hotfix-replicas</td>");
    }

    private static String runId(InProcess.Outcome outcome) {
        return outcome.out().lines().findFirst().orElseThrow().split(" ")[1];
    }

    private List<AuditRecord> rows(EventType event) throws Exception {
        try (AuditLog audit = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), Clock.systemUTC())) {
            return audit.records(new ReportFilter(null, null, null, null)).stream().filter(r -> r.entry().event() == event).toList();
        }
    }

    private int replicas() {
        return stage.sandbox().client().apps().deployments().inNamespace("shop").withName("web").get().getSpec().getReplicas();
    }

    /** The real {@code kubectl edit}, its editor a sed script (field manager kubectl-edit, as a person's edit). */
    private void kubectlEdit(Path kubeconfig, String object, String sed) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir",
                tmp.resolve("kube-cache").toString(), "-n", "shop", "edit", object));
        Path output = tmp.resolve("kubectl.out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("KUBE_EDITOR", "sed -i '" + sed + "'");
        Process process;
        try {
            process = builder.start();
        } catch (java.io.IOException e) {
            throw new AssertionError("kubectl is not on PATH: this story edits with the real kubectl (1.32 on our machines)", e);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl edit finished").isTrue();
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("kubectl edit\n" + printed).isZero();
        assertThat(printed).contains("edited");
    }
}
