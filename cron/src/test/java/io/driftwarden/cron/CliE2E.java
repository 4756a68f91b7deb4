package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.EventType;
import io.driftwarden.config.AuditSettings;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.driftwarden.sandbox.Sandbox;
import io.driftwarden.sandbox.SandboxRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI jar as a process against the sandbox (in this JVM, reached over HTTP through a kubeconfig), a real Git
 * repository and the default H2 file store. The sandbox cannot prove defaults, admission or field ownership.
 */
class CliE2E {

    @TempDir
    Path tmp;

    @Test
    void demoExitsZeroLeavesTheDefaultStoreEmptyAndItsCorrectionsAreInItsOwnStore() throws Exception {
        Cli.Result demo = Cli.run(tmp, "demo");

        assertThat(demo.exit()).as(demo.all()).isZero();
        assertThat(demo.out()).containsPattern("HEALTH +Deployment/guestbook/frontend +Current +Deployment is available\\. Replicas: 3");
        assertThat(demo.out()).contains("Deployment/guestbook/frontend", "CONFIGURED", "spec.replicas",
                "Service/guestbook/frontend", "3) Third run: nothing to do", "0 writes", ".driftwarden/demo/report.csv",
                ".driftwarden/demo/report.html", "./driftwarden report --config .driftwarden/demo/driftwarden.yaml --format html");
        assertThat(demo.all()).doesNotContain("demo-Passw0rd-from-git", base64("demo-Passw0rd-from-git"),
                "changed-by-hand", base64("changed-by-hand"));
        assertThat(tmp.resolve(".driftwarden/audit.mv.db")).as("the default store").doesNotExist();
        assertThat(tmp.resolve(".driftwarden/demo/audit.mv.db")).exists();
        assertThat(Files.readString(tmp.resolve(".driftwarden/demo/report.html"))).contains("drifts found", "Deployment/guestbook/frontend")
                .as("the demo writes the report `report` writes: the measures of the period and their charts")
                .contains("Measures of the period", "<svg");

        Cli.Result own = Cli.run(tmp, "report", "--format", "csv");
        assertThat(own.exit()).as(own.all()).isZero();
        assertThat(csv(own.out())).as("a user's first report holds none of the demo's rows").isEmpty();

        Cli.Result report = Cli.run(tmp, inDemoStore("report", "--format", "csv"));

        assertThat(report.exit()).as(report.all()).isZero();
        List<CSVRecord> rows = csv(report.out());
        assertThat(rows).filteredOn(r -> r.get("event").equals("CORRECTED")).extracting(r -> r.get("subject"))
                .contains("Deployment/guestbook/frontend", "Service/guestbook/frontend", "Secret/guestbook/redis-credentials");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("commit")).matches("[0-9a-f]{40}"));
        assertThat(report.out()).doesNotContain("demo-Passw0rd-from-git", base64("demo-Passw0rd-from-git"));

        Cli.Result html = Cli.run(tmp, inDemoStore("report", "--format", "html", "--output", "report.html"));
        assertThat(html.exit()).as(html.all()).isZero();
        assertThat(Files.readString(tmp.resolve("report.html"))).contains("Summary per cluster and binding", "<svg",
                "Deployment/guestbook/frontend", "CORRECTED").doesNotContain("demo-Passw0rd-from-git");
        Cli.Result json = Cli.run(tmp, inDemoStore("report", "--format", "json"));
        assertThat(json.exit()).as(json.all()).isZero();
        var summary = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json.out()).get("summary").get(0);
        assertThat(summary.get("driftsFound").asLong()).as(json.out())
                .isEqualTo(summary.get("corrected").asLong() + summary.get("failed").asLong() + summary.get("excepted").asLong()
                        + summary.get("left").asLong());
        Cli.Result verify = Cli.run(tmp, inDemoStore("audit", "verify"));
        assertThat(verify.exit()).as(verify.all()).isZero();
        assertThat(verify.out()).as("18 rows of drift and correction, and a HEALTH row per object written: 5, then 4")
                .startsWith("chain intact: 27 rows");
        Cli.Result history = Cli.run(tmp, inDemoStore("history"));
        assertThat(history.exit()).as(history.all()).isZero();
        assertThat(history.out()).contains("guestbook", "corrected 5");
    }

    /** {@code COMMAND --config .driftwarden/demo/driftwarden.yaml}: the command the demo prints to read its store. */
    private static String[] inDemoStore(String... command) {
        String[] all = java.util.Arrays.copyOf(command, command.length + 2);
        all[command.length] = "--config";
        all[command.length + 1] = ".driftwarden/demo/driftwarden.yaml";
        return all;
    }

    @Test
    void reportsOf200kRowsStreamInA64MbHeap() throws Exception {
        String url = AuditSettings.DEFAULT_URL.replace("./.driftwarden", tmp.resolve(".driftwarden").toString());
        try (AuditLog store = AuditLog.open(new AuditSettings(url, "sa", null), java.time.Clock.systemUTC());
             java.sql.Connection connection = store.dataSource().getConnection();
             java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_event (run_id, event_time,"
                     + " run_trigger, binding_name, namespace, api_version, kind, name, event, drift_type, action, masked_diff,"
                     + " prev_hash, hash) VALUES (?, ?, 'cronjob', ?, 'shop', 'v1', 'ConfigMap', ?, 'DETECTED', 'MODIFIED', 'SKIPPED',"
                     + " '~ data.color: red -> blue', ?, ?)")) {
            // rows written directly (their hashes are not a chain): this is about the reports' memory, not the chain
            connection.setAutoCommit(false);
            java.time.OffsetDateTime start = java.time.OffsetDateTime.parse("2026-11-01T00:00:00Z");
            for (int i = 0; i < 200_000; i++) {
                insert.setString(1, "run-" + i / 1000);
                insert.setObject(2, start.plusSeconds(i * 10L));
                insert.setString(3, "binding-" + i % 7);
                insert.setString(4, "cm-" + i % 5000);
                insert.setString(5, String.format("%064d", i));
                insert.setString(6, String.format("%064d", i + 1));
                insert.addBatch();
                if (i % 5000 == 4999) {
                    insert.executeBatch();
                }
            }
            connection.commit();
        }

        for (String format : List.of("csv", "json", "html")) {
            Cli.Result report = Cli.runWithJvmOptions(tmp, List.of("-Xmx64m"), "report", "--format", format, "--output", "report." + format);
            assertThat(report.exit()).as(format + ": " + report.all()).isZero();
            assertThat(tmp.resolve("report." + format)).content().contains("binding-6");
        }
        assertThat(Files.readString(tmp.resolve("report.csv")).lines().count()).isEqualTo(200_001);
    }

    @Test
    void aReportReadsTheDefaultStoreWhileAnotherProcessHoldsIt() throws Exception {
        AuditSettings store = AuditSettings.defaults();
        Files.createDirectories(tmp.resolve(".driftwarden"));
        String url = store.url().replace("./.driftwarden", tmp.resolve(".driftwarden").toString());
        try (AuditLog holder = AuditLog.open(new AuditSettings(url, "sa", null), java.time.Clock.systemUTC());
             java.sql.Connection held = holder.dataSource().getConnection()) {
            holder.append(new AuditEntry("run-1", "manual", "shop", null, null, "prod", "shop", null, "v1", "ConfigMap", "held",
                    EventType.DETECTED, "MODIFIED", "SKIPPED", null, null, null));

            Cli.Result report = Cli.run(tmp, "report", "--format", "csv");

            assertThat(report.exit()).as(report.all()).isZero();
            assertThat(report.out()).contains("ConfigMap/shop/held");
            assertThat(held.isValid(1)).isTrue();
        }
    }

    @Test
    void planExitsTwoAndChangesNothingThenRunCorrectsAndPlanExitsZero() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop")) {
            String commit = repo(tmp.resolve("repo"), "app/cm.yaml", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: settings
                    data:
                      color: blue
                    """, "app/secret.yaml", """
                    apiVersion: v1
                    kind: Secret
                    metadata:
                      name: creds
                    stringData:
                      password: e2e-Git-s3cret
                    """);
            config(tmp, sandbox, "app", "enforce");
            sandbox.clearRequests(); // the namespace the admin created

            Cli.Result plan = Cli.run(tmp, "plan");
            assertThat(plan.exit()).as(plan.all()).isEqualTo(ExitCodes.DRIFT);
            assertThat(sandbox.requests()).noneMatch(SandboxRequest::isWrite);
            assertThat(plan.out()).contains("ConfigMap/shop/settings", "MISSING", "SKIPPED");

            Cli.Result run = Cli.run(tmp, "run");
            assertThat(run.exit()).as(run.all()).isZero();

            Cli.Result quiet = Cli.run(tmp, "plan", "--format", "json");
            assertThat(quiet.exit()).as(quiet.all()).isZero();
            assertThat(quiet.out()).contains("\"drift\" : \"IN_SYNC\"").doesNotContain("MODIFIED", "MISSING");

            // someone edits the Secret by hand; run corrects it and prints no value of it
            try (var kubectl = sandbox.client()) {
                kubectl.secrets().inNamespace("shop").withName("creds").edit(s -> {
                    s.getData().put("password", base64("e2e-Hand-s3cret"));
                    return s;
                });
            }
            Cli.Result corrected = Cli.run(tmp, "run", "--format", "json");
            assertThat(corrected.exit()).as(corrected.all()).isZero();
            assertThat(corrected.out()).contains("\"subject\" : \"Secret/shop/creds\"", "\"action\" : \"CONFIGURED\"", "data.password");
            Cli.Result report = Cli.run(tmp, "report", "--format", "csv", "--binding", "shop");
            for (String text : List.of(corrected.all(), report.all())) {
                assertThat(text).doesNotContain("e2e-Git-s3cret", base64("e2e-Git-s3cret"), "e2e-Hand-s3cret", base64("e2e-Hand-s3cret"));
            }
            assertThat(csv(report.out())).filteredOn(r -> r.get("event").equals("CORRECTED"))
                    .extracting(r -> r.get("subject") + "@" + r.get("commit"))
                    .containsExactly("Secret/shop/creds@" + commit, "ConfigMap/shop/settings@" + commit, "Secret/shop/creds@" + commit);
        }
    }

    @Test
    void aBrokenBindingExitsOneWithFileAndLineWhileTheOtherReconciles() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("good", "bad")) {
            repo(tmp.resolve("repo"), "good/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n",
                    "bad/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n");
            config(tmp, sandbox, """
                      - { name: good, source: repo, path: good, cluster: sandbox, namespace: good, mode: enforce }
                      - { name: bad, source: repo, path: bad, cluster: sandbox, namespace: bad, mode: enforce }
                    """);

            Cli.Result run = Cli.run(tmp, "run");

            assertThat(run.exit()).as(run.all()).isEqualTo(ExitCodes.FAILED);
            assertThat(run.err()).contains("bad/cm.yaml:5: ");
            assertThat(run.err()).as("no stack trace without --debug").doesNotContain("\tat ").doesNotContain("Exception");
            try (var kubectl = sandbox.client()) {
                assertThat(kubectl.configMaps().inNamespace("good").withName("ok").get()).isNotNull();
            }
            Cli.Result debug = Cli.run(tmp, "run", "--debug");
            assertThat(debug.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(debug.err()).contains("BindingFailedException: binding bad failed", "\tat ");
            Cli.Result json = Cli.run(tmp, "run", "--debug", "--log-format", "json");
            assertThat(json.err().lines().filter(line -> line.startsWith("{"))).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains("\"level\":", "\"loggerName\":", "\"formattedMessage\":"));
        }
    }

    @Test
    void anInvalidConfigExits64WithFileAndLineBeforeAnythingRuns() throws Exception {
        Files.writeString(tmp.resolve("driftwarden.yaml"), """
                sources:
                  - name: repo
                    url: file:///nowhere
                    colour: blue
                clusters: []
                bindings:
                  - name: shop
                    source: repo
                    cluster: prod
                    namespace: shop
                """);

        Cli.Result run = Cli.run(tmp, "run");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("driftwarden.yaml:4: unknown key 'colour' in source",
                "driftwarden.yaml:9: binding 'shop': no cluster named 'prod'");
        assertThat(Cli.run(tmp, "run", "--no-such-option").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run(tmp, "run", "--binding", "nope", "--config", "driftwarden.yaml").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void runAndReportUseAPostgresAuditStore() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            String commit = repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pg\n");
            config(tmp, sandbox, "app", "enforce");
            String audit = """
                    audit:
                      url: jdbc:postgresql://localhost:%d/postgres
                      username: postgres
                    """.formatted(postgres.getPort());
            Files.writeString(tmp.resolve("driftwarden.yaml"), audit + Files.readString(tmp.resolve("driftwarden.yaml")));

            Cli.Result run = Cli.run(tmp, "run");
            Cli.Result report = Cli.run(tmp, "report", "--format", "json");

            assertThat(run.exit()).as(run.all()).isZero();
            assertThat(report.exit()).as(report.all()).isZero();
            assertThat(report.out()).contains("\"subject\" : \"ConfigMap/shop/pg\"", "\"event\" : \"CORRECTED\"",
                    "\"commit\" : \"" + commit + "\"");
            assertThat(tmp.resolve(".driftwarden")).doesNotExist();

            // two runs started at once against one PostgreSQL store (a CronJob and a person) leave one chain
            String[] more = new String[60];
            for (int i = 0; i < 30; i++) {
                more[2 * i] = "app/cm-" + i + ".yaml";
                more[2 * i + 1] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-" + i + "\ndata: {k: v}\n";
            }
            repo(tmp.resolve("repo"), more);
            List<Process> runs = new java.util.ArrayList<>();
            List<Path> dirs = new java.util.ArrayList<>();
            for (String name : List.of("cronjob", "person")) {
                Path dir = Files.createDirectories(tmp.resolve(name));
                Files.copy(tmp.resolve("driftwarden.yaml"), dir.resolve("driftwarden.yaml"));
                Files.copy(tmp.resolve("kubeconfig"), dir.resolve("kubeconfig"));
                dirs.add(dir);
                runs.add(Cli.start(dir, "run"));
            }
            for (int i = 0; i < runs.size(); i++) {
                assertThat(runs.get(i).waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(runs.get(i).exitValue()).as(Files.readString(dirs.get(i).resolve(".out")) + Files.readString(dirs.get(i).resolve(".err")))
                        .isZero();
            }
            Cli.Result verify = Cli.run(tmp, "audit", "verify");
            assertThat(verify.exit()).as(verify.all()).isZero();
            assertThat(verify.out()).startsWith("chain intact");
        }
    }

    /** Writes a config for the sandbox and the repository in {@code dir/repo}, with one binding {@code shop}. */
    static void config(Path dir, Sandbox sandbox, String path, String mode) throws Exception {
        config(dir, sandbox, """
                  - name: shop
                    source: repo
                    path: %s
                    cluster: sandbox
                    namespace: shop
                    mode: %s
                """.formatted(path, mode));
    }

    /** Writes a config for the sandbox and the repository in {@code dir/repo}, with the given bindings. */
    static void config(Path dir, Sandbox sandbox, String bindings) throws Exception {
        sandbox.writeKubeconfig(dir.resolve("kubeconfig"));
        Files.writeString(dir.resolve("driftwarden.yaml"), """
                sources:
                  - name: repo
                    url: %s
                clusters:
                  - name: sandbox
                    kubeconfig: kubeconfig
                bindings:
                """.formatted(dir.resolve("repo").toUri()) + bindings);
    }

    /** A Git repository holding {@code pathsAndContents} (path, content, path, content…); returns the commit SHA. */
    static String repo(Path dir, String... pathsAndContents) throws Exception {
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            Path file = dir.resolve(pathsAndContents[i]);
            Files.createDirectories(file.getParent());
            Files.writeString(file, pathsAndContents[i + 1]);
        }
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            return git.commit().setMessage("manifests").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
                    .setSign(false).call().getName();
        }
    }

    static List<CSVRecord> csv(String text) throws Exception {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new java.io.StringReader(text)).getRecords();
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
