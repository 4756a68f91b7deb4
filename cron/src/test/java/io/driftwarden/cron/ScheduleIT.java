package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.cron.metrics.RunMetrics;
import io.driftwarden.cron.schedule.ConfigReloader;
import io.driftwarden.cron.schedule.Daemon;
import io.driftwarden.cron.schedule.Endpoints;
import io.driftwarden.cron.schedule.QuartzCron;
import io.driftwarden.cron.schedule.SyncWindows;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.driftwarden.jobs.lifecycle.Runs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon in process against the sandbox, with Quartz's JDBC store in a real H2 file: crons fire per binding,
 * a missed firing runs once after downtime, sync windows turn a run into detection, pushes are verified and merge,
 * and the metrics endpoint shows the runs. What the sandbox cannot prove: a real API server's latency; clustering
 * over several processes is {@code ScheduleE2E}'s.
 */
class ScheduleIT {

    private static final String SECRET = "hook-s3cret";

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("shop", "other");

    private AuditLog audit;
    private Daemon daemon;
    private Endpoints endpoints;
    private final MutableClock clock = new MutableClock(Instant.now());

    @AfterEach
    void stop() throws Exception {
        if (endpoints != null) {
            endpoints.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (audit != null) {
            audit.close();
        }
    }

    @Test
    void eachBindingRunsOnItsCronAndAHandMadeDriftIsCorrectedWithinOnePeriod() throws Exception {
        DriftwardenConfig config = config("    schedule: \"*/1 * * * * ?\"\n", "");
        start(config);

        try (KubernetesClient kubectl = stage.sandbox().client()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.configMaps().inNamespace("shop").withName("settings").get() != null);
            kubectl.configMaps().inNamespace("shop").withName("settings").edit(cm -> {
                cm.getData().put("colour", "red");
                return cm;
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> "blue".equals(data(kubectl).get("colour")));
        }
        assertThat(rows()).filteredOn(r -> r.entry().event() == EventType.CORRECTED).extracting(r -> r.entry().trigger()).containsOnly("cron");
        assertThat(rows()).filteredOn(r -> r.entry().event() == EventType.CORRECTED).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void cronsAreValidatedByQuartzAndTheirErrorsJoinTheFileAndLineReport() throws Exception {
        // Spring's parser accepts 0 0 2 * * *; Quartz, which runs it, wants a ? in one day field
        write("    schedule: \"0 0 2 * * *\"\n", "defaults: {schedule: \"0 0 3 ? * MON-FRI\", timeZone: Europe/Berlin}\n"
                + "windows:\n  - {kind: deny, schedule: \"every night\", duration: 1h, bindings: ['*']}\n");
        String file = tmp.resolve("driftwarden.yaml").toString();

        InProcess.Outcome validate = InProcess.cli("validate", "--config", file);

        assertThat(validate.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(validate.err()).contains(file + ":16: binding 'shop': invalid cron expression '0 0 2 * * *': Support for specifying both a "
                + "day-of-week AND a day-of-month parameter is not implemented.",
                file + ":19: window: invalid cron expression 'every night': ");
        assertThat(validate.err()).doesNotContain("0 0 3 ? * MON-FRI");
    }

    @Test
    void aChangedConfigIsReloadedAfterValidationAndAnInvalidOneLeavesTheRunningConfig() throws Exception {
        DriftwardenConfig config = config("    schedule: \"0 0 * * * ?\"\n", "");
        start(config);
        Path file = tmp.resolve("driftwarden.yaml");
        try (ConfigReloader reloader = ConfigReloader.start(file, daemon, Duration.ofMillis(200))) {
            // a changed file is picked up by itself
            Files.writeString(file, Files.readString(file).replace("0 0 * * * ?", "0 30 * * * ?"));
            await().atMost(Duration.ofSeconds(10)).until(() -> daemon.config().binding("shop").schedule().cron().equals("0 30 * * * ?"));
            try (Connection connection = audit.dataSource().getConnection();
                 ResultSet cron = connection.createStatement().executeQuery("SELECT CRON_EXPRESSION FROM QRTZ_CRON_TRIGGERS WHERE TRIGGER_NAME = 'shop'")) {
                assertThat(cron.next()).isTrue();
                assertThat(cron.getString(1)).isEqualTo("0 30 * * * ?");
            }

            // an invalid one (Quartz refuses the cron) is not applied, on change or on SIGHUP
            Files.writeString(file, Files.readString(file).replace("0 30 * * * ?", "0 15 * * * *"));
            assertThat(reloader.reloadNow()).isFalse();
            assertThat(daemon.config().binding("shop").schedule().cron()).isEqualTo("0 30 * * * ?");
        }
    }

    @Test
    void sighupReloadsFromTheSignalThreadWhichHasNoContextClassLoader() throws Exception {
        // given a running daemon and a changed file, not yet seen by the periodic check
        DriftwardenConfig config = config("    schedule: \"0 0 * * * ?\"\n", "");
        start(config);
        Path file = tmp.resolve("driftwarden.yaml");
        try (ConfigReloader reloader = ConfigReloader.start(file, daemon, Duration.ofHours(1))) {
            Files.writeString(file, Files.readString(file).replace("0 0 * * * ?", "0 30 * * * ?"));

            // when SIGHUP arrives: the JDK runs its handler on a thread whose context class loader is null
            boolean[] reloaded = new boolean[1];
            Thread signal = new Thread(() -> reloaded[0] = reloader.reloadNow(), "SIGHUP handler");
            signal.setContextClassLoader(null);
            signal.start();
            signal.join(30_000);

            // then the daemon runs the new file
            assertThat(reloaded[0]).isTrue();
            assertThat(daemon.config().binding("shop").schedule().cron()).isEqualTo("0 30 * * * ?");
        }
    }

    @Test
    void afterDowntimeAMissedFiringRunsOnceNotOncePerMissedTime() throws Exception {
        DriftwardenConfig config = config("    schedule: \"0 0 * * * ?\"\n", "");
        start(config);
        daemon.close();
        // five hourly firings missed while the daemon was down
        long fiveHoursAgo = Instant.now().minus(Duration.ofHours(5)).toEpochMilli();
        try (Connection connection = audit.dataSource().getConnection()) {
            assertThat(connection.createStatement().executeUpdate("UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = " + fiveHoursAgo
                    + " WHERE TRIGGER_NAME = 'shop' AND TRIGGER_GROUP = 'cron'")).isEqualTo(1);
        }

        daemon = Daemon.start(config, audit, DriftwardenApplication.runs(clock, tmp.resolve("git")), new RunMetrics());

        await().atMost(Duration.ofSeconds(30)).until(() -> audit.history(null, 10).size() == 1);
        try (Connection connection = audit.dataSource().getConnection();
             ResultSet next = connection.createStatement().executeQuery("SELECT NEXT_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'shop'")) {
            assertThat(next.next()).isTrue();
            assertThat(next.getLong(1)).as("the next firing is the next hour, not another missed one").isGreaterThan(System.currentTimeMillis());
        }
        assertThat(audit.history(null, 10)).singleElement().satisfies(run -> assertThat(run.trigger()).isEqualTo("cron"));
    }

    @Test
    void inADenyWindowARunOnlyDetectsAndRecordsTheWindowThenCorrectsOnceItOpens() throws Exception {
        // a deny window every night 22:00-06:00 UTC; the clock says 23:00
        clock.set(Instant.parse("2026-11-27T23:00:00Z"));
        DriftwardenConfig config = config("", """
                windows:
                  - {kind: deny, schedule: "0 0 22 * * ?", duration: 8h, bindings: ["*"]}
                """);
        start(config);

        daemon.runSoon("shop", "webhook");
        await().atMost(Duration.ofSeconds(20)).until(() -> audit.history(null, 10).size() == 1);
        assertThat(stage.sandbox().client().configMaps().inNamespace("shop").withName("settings").get()).isNull();
        assertThat(rows()).extracting(r -> r.entry().event()).containsExactly(EventType.DETECTED, EventType.WINDOW);
        assertThat(rows().get(1).entry().error()).isEqualTo("sync window closed: deny window '0 0 22 * * ?' for 8h (UTC, " + tmp.resolve("driftwarden.yaml")
                + ":17) is open; drift was only detected, it is corrected at the first run after the window opens");

        clock.set(Instant.parse("2026-11-28T06:30:00Z"));
        daemon.runSoon("shop", "webhook");
        await().atMost(Duration.ofSeconds(20)).until(() -> audit.history(null, 10).size() == 2);
        assertThat(stage.sandbox().client().configMaps().inNamespace("shop").withName("settings").get()).isNotNull();
    }

    @Test
    void runIgnoreWindowsCorrectsInAClosedWindowAndTheOverrideIsAudited() throws Exception {
        // a deny window that is always open
        write("", """
                windows:
                  - {kind: deny, schedule: "0 * * * * ?", duration: 1h, clusters: [sandbox]}
                """);
        String file = tmp.resolve("driftwarden.yaml").toString();

        InProcess.Outcome held = InProcess.cli("run", "--config", file, "--metrics-file", tmp.resolve("textfile/driftwarden.prom").toString());
        InProcess.Outcome overridden = InProcess.cli("run", "--config", file, "--ignore-windows");

        assertThat(held.exit()).as(held.all()).isEqualTo(ExitCodes.DRIFT);
        assertThat(held.out()).contains("summary: 1 bindings (0 failed), 1 drifted, 0 corrected, 0 failed, 0 refused\nexit 2\n");
        assertThat(Files.readString(tmp.resolve("textfile/driftwarden.prom"))).contains("driftwarden_runs_total{outcome=\"drift\"} 1.0",
                "driftwarden_drifts_found_total{binding=\"shop\",cluster=\"sandbox\"} 1.0");
        assertThat(overridden.exit()).as(overridden.all()).isEqualTo(ExitCodes.OK);
        try (AuditLog store = AuditLog.open(ConfigLoader.load(Path.of(file)).audit(), Clock.systemUTC())) {
            List<String> windows = store.records(ReportFilter.all()).stream().filter(r -> r.entry().event() == EventType.WINDOW)
                    .map(r -> r.entry().error()).toList();
            assertThat(windows).hasSize(2);
            assertThat(windows.get(0)).endsWith("drift was only detected, it is corrected at the first run after the window opens");
            assertThat(windows.get(1)).endsWith("ignored (run --ignore-windows): drift was corrected");
        }
        assertThat(stage.sandbox().client().configMaps().inNamespace("shop").withName("settings").get()).isNotNull();
    }

    @Test
    void aSignedPushRunsTheBindingAtOnceAWrongSignatureIs401AndStartsNothingAndPendingPushesMerge() throws Exception {
        DriftwardenConfig config = config("", "webhook: {githubSecretFrom: \"file:" + Files.writeString(tmp.resolve("hook-secret"), SECRET) + "\"}\n");
        start(config);
        String push = """
                {"ref": "refs/heads/main", "repository": {"clone_url": "%s", "html_url": "https://example.com/x"}}
                """.formatted(config.source("repo").url());

        HttpResponse<String> forged = post("/hooks/github", push, "sha256=" + "0".repeat(64));
        HttpResponse<String> unsigned = post("/hooks/github", push, null);

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).isEqualTo("wrong signature\n");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(daemon.runSoon("shop", "manual")).as("no push run was pending").isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> audit.history(null, 10).size() == 1);

        // the next run blocks on its first write; pushes meanwhile: one pending run, the rest merge into it
        stage.sandbox().client().configMaps().inNamespace("shop").withName("settings").delete();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        stage.sandbox().beforeWrite(request -> {
            writing.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            HttpResponse<String> first = post("/hooks/github", push, sign(push));
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(first.body()).isEqualTo("{\"started\":[\"shop\"],\"merged\":[]}\n");
            assertThat(writing.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(post("/hooks/github", push, sign(push)).body()).contains("\"started\":[\"shop\"]");
            assertThat(post("/hooks/github", push, sign(push)).body()).contains("\"merged\":[\"shop\"]");
        } finally {
            release.countDown();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> audit.history(null, 10).size() == 3);
        assertThat(audit.history(null, 10)).extracting(r -> r.trigger()).containsExactly("webhook", "webhook", "manual");
    }

    @Test
    void aPushMergedIntoAWaitingRunIsNotServedByAFetchThatStartedBeforeIt() throws Exception {
        // given two bindings of one repository, both run once, and a run that can be held after its bindings
        AtomicBoolean holdNext = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        startTwoBindingsOfOneRepository(holdNext, held, release);
        try {
            // and shop's next run held (it has read Git), with a push of shop waiting behind it
            holdNext.set(true);
            assertThat(daemon.runSoon("shop", "webhook")).isTrue();
            assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.runSoon("shop", "webhook")).as("a push run of shop now waits").isTrue();

            // when the other binding fetches after that push was asked for (and sees a new commit),
            CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {colour: green}\n");
            daemon.runSoon("other", "webhook");
            await().atMost(Duration.ofSeconds(30)).until(() -> audit.history(null, 10).size() == 3);
            // and then one more commit is pushed, merging into shop's waiting run
            CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {colour: red}\n");
            assertThat(daemon.runSoon("shop", "webhook")).as("merged into the waiting run").isFalse();
        } finally {
            release.countDown();
        }

        // then the waiting run fetches again and enforces the last commit: the other binding's fetch started before
        // the merged push, so it must not serve it (it would have enforced green)
        await().atMost(Duration.ofSeconds(30)).until(() -> audit.history(null, 10).size() == 5);
        assertThat(data(stage.sandbox().client())).containsEntry("colour", "red");
    }

    @Test
    void theRunsOfOnePushShareTheFetchThatStartedAfterIt() throws Exception {
        // given two bindings of one repository, both run once, and shop's next push run held (it has read Git)
        AtomicBoolean holdNext = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        startTwoBindingsOfOneRepository(holdNext, held, release);
        try {
            holdNext.set(true);
            assertThat(daemon.runSoon("shop", "webhook")).isTrue();
            assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();
            // when a push of a new commit starts both: shop's run waits, the other's runs and fetches it
            CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {colour: green}\n");
            assertThat(daemon.runSoon("shop", "webhook")).isTrue();
            daemon.runSoon("other", "webhook");
            await().atMost(Duration.ofSeconds(30)).until(() -> audit.history(null, 10).size() == 3);
            // and a later commit arrives at the remote with no push (yet)
            CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {colour: red}\n");
        } finally {
            release.countDown();
        }

        // then shop's waiting run of that push is served by the other binding's fetch (it started after the push):
        // no fetch of its own, so it enforces the pushed commit, not the unpushed one
        await().atMost(Duration.ofSeconds(30)).until(() -> audit.history(null, 10).size() == 5);
        assertThat(data(stage.sandbox().client())).containsEntry("colour", "green");
    }

    /**
     * Starts the daemon on a config of two bindings of one repository (shop: app/, other: other/) whose runs are held
     * after their bindings when {@code holdNext} is set (the first such run only), and runs both once.
     */
    private void startTwoBindingsOfOneRepository(AtomicBoolean holdNext, CountDownLatch held, CountDownLatch release) throws Exception {
        DriftwardenConfig config = config("  - {name: other, source: repo, path: other, cluster: sandbox, namespace: other, mode: enforce}\n", "");
        CliE2E.repo(tmp.resolve("repo"), "other/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {a: b}\n");
        audit = AuditLog.open(config.audit(), Clock.systemUTC());
        daemon = Daemon.start(config, audit, new Runs(clock, tmp.resolve("git"), SyncWindows.QUARTZ, DriftwardenApplication::jobRunner,
                (c, runId, log, stopped) -> {
                    if (holdNext.compareAndSet(true, false)) {
                        held.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }), new RunMetrics());
        daemon.runSoon("shop", "manual");
        daemon.runSoon("other", "manual");
        await().atMost(Duration.ofSeconds(30)).until(() -> audit.history(null, 10).size() == 2);
    }

    @Test
    void theMetricsEndpointShowsTheRunsAndTheProbesAnswer() throws Exception {
        DriftwardenConfig config = config("", "");
        start(config);
        daemon.runSoon("shop", "webhook");
        await().atMost(Duration.ofSeconds(20)).until(() -> audit.history(null, 10).size() == 1);

        String metrics = get("/metrics").body();

        assertThat(metrics).contains("driftwarden_runs_total{outcome=\"success\"} 1.0",
                "driftwarden_drifts_found_total{binding=\"shop\",cluster=\"sandbox\"} 1.0",
                "driftwarden_drifts_corrected_total{binding=\"shop\",cluster=\"sandbox\"} 1.0",
                "driftwarden_corrections_failed_total{binding=\"shop\",cluster=\"sandbox\"} 0.0",
                "driftwarden_run_duration_seconds_count 1",
                "driftwarden_objects_managed{binding=\"shop\",cluster=\"sandbox\"} 1.0",
                "driftwarden_last_success{binding=\"shop\",cluster=\"sandbox\"}");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        daemon.close();
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
    }

    @Test
    void slowAndSilentClientsAreCutOffAtTheDeadlineAndNeitherTheProbesNorASignedPushWaitForThem() throws Exception {
        // given endpoints that give a request 2 s to arrive whole and take 8 pushes at once
        DriftwardenConfig config = config("", "webhook: {githubSecretFrom: \"file:" + Files.writeString(tmp.resolve("hook-secret"), SECRET) + "\"}\n");
        Duration deadline = Duration.ofSeconds(2);
        start(config, new Endpoints.Limits(deadline, 8));
        String push = """
                {"ref": "refs/heads/main", "repository": {"clone_url": "%s"}}
                """.formatted(config.source("repo").url());
        String headers = "POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nX-GitHub-Event: push\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + push.length() + "\r\n\r\n";

        // when 8 clients send a push's headers then its body a byte a second, 8 send the headers themselves a byte a second,
        // 16 connect and send nothing
        try (SlowClients attack = new SlowClients(endpoints.port(), deadline.plusSeconds(3))) {
            for (int i = 0; i < 8; i++) {
                attack.open(headers, push);
                attack.open("", headers + push);
            }
            for (int i = 0; i < 16; i++) {
                attack.open("", "");
            }
            // and one asks for /healthz, is answered, and keeps the connection to trickle its next request's headers
            String probe = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            attack.open(probe, probe);
            attack.trickle(Duration.ofSeconds(1));

            // then the probes and the metrics answer at once
            for (String path : List.of("/healthz", "/metrics", "/readyz")) {
                long start = System.nanoTime();
                HttpResponse<String> answer = get(path, Duration.ofSeconds(2));
                assertThat(answer.statusCode()).as(path).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(path).isLessThan(Duration.ofSeconds(1));
            }
            // and a ninth push while the 8 slow bodies are read is turned away at once (an unsigned one: it could start nothing)
            await().atMost(Duration.ofSeconds(1)).until(() -> post("/hooks/github", push, null).statusCode() == 503);
            // and every slow or silent client is cut off at the deadline: a 408, or the connection closed
            List<SlowClients.CutOff> cutOffs = attack.cutOffs();
            for (SlowClients.CutOff cutOff : cutOffs) {
                assertThat(cutOff.closed()).as(cutOff.toString()).isTrue();
                assertThat(cutOff.after()).as(cutOff.toString()).isBetween(deadline.minusMillis(200), deadline.plusMillis(1500));
            }
            assertThat(cutOffs.subList(0, 16)).extracting(SlowClients.CutOff::answers).containsOnly(
                    List.of("HTTP/1.1 408 Request Timeout"), List.of()); // a slow body is told why; slow headers are not a request yet
            assertThat(cutOffs.subList(16, 32)).extracting(SlowClients.CutOff::answers).containsOnly(List.of());
            assertThat(cutOffs.get(32).answers()).containsExactly("HTTP/1.1 200 OK");
        }
        // and, their places freed, a signed push is served as before
        HttpResponse<String> signed = post("/hooks/github", push, sign(push));
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
        assertThat(signed.body()).contains("\"started\":[\"shop\"]");
    }

    @Test
    void aBodyOverTheLimitIs413WhetherItsLengthIsDeclaredOrStreamed() throws Exception {
        DriftwardenConfig config = config("", "webhook: {githubSecretFrom: \"file:" + Files.writeString(tmp.resolve("hook-secret"), SECRET)
                + "\", maxBodySize: 1Ki}\n");
        start(config);
        String big = "{\"pad\": \"" + "x".repeat(2048) + "\"}";

        HttpResponse<String> declared = post("/hooks/github", big, sign(big));
        HttpResponse<String> streamed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + endpoints.port() + "/hooks/github")).header("X-Hub-Signature-256", sign(big)).POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).isEqualTo("body larger than 1024 bytes\n");
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(audit.history(null, 10)).isEmpty();
    }

    private void start(DriftwardenConfig config) throws Exception {
        audit = AuditLog.open(config.audit(), Clock.systemUTC());
        RunMetrics metrics = new RunMetrics();
        daemon = Daemon.start(config, audit, DriftwardenApplication.runs(clock, tmp.resolve("git")), metrics);
        endpoints = Endpoints.start(new InetSocketAddress("127.0.0.1", 0), daemon, metrics);
    }

    private void start(DriftwardenConfig config, Endpoints.Limits limits) throws Exception {
        audit = AuditLog.open(config.audit(), Clock.systemUTC());
        RunMetrics metrics = new RunMetrics();
        daemon = Daemon.start(config, audit, DriftwardenApplication.runs(clock, tmp.resolve("git")), metrics);
        endpoints = Endpoints.start(new InetSocketAddress("127.0.0.1", 0), daemon, metrics, limits);
    }

    /** A repository with one ConfigMap, a config with one enforcing binding (with {@code bindingKeys}) and {@code topKeys}. */
    private DriftwardenConfig config(String bindingKeys, String topKeys) throws Exception {
        return ConfigLoader.load(write(bindingKeys, topKeys), QuartzCron.CHECK);
    }

    /** Writes that config and returns its file. */
    private Path write(String bindingKeys, String topKeys) throws Exception {
        CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {colour: blue}\n");
        Path file = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit:
                  url: "jdbc:h2:file:%s"
                sources:
                  - name: repo
                    url: "%s"
                clusters:
                  - name: sandbox
                    kubeconfig: "%s"
                bindings:
                  - name: shop
                    source: repo
                    path: app
                    cluster: sandbox
                    namespace: shop
                    mode: enforce
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig")))
                + bindingKeys + topKeys);
        return file;
    }

    private List<AuditRecord> rows() {
        return audit.records(ReportFilter.all());
    }

    private static java.util.Map<String, String> data(KubernetesClient kubectl) {
        ConfigMap cm = kubectl.configMaps().inNamespace("shop").withName("settings").get();
        return cm == null || cm.getData() == null ? java.util.Map.of() : cm.getData();
    }

    private HttpResponse<String> post(String path, String body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
                .header("X-GitHub-Event", "push").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, Duration timeout) throws Exception {
        return HttpClient.newBuilder().connectTimeout(timeout).build().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + endpoints.port() + path)).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** A clock a test moves. */
    private static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
