package io.driftwarden.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwarden.config.AuditSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log on a real H2 file. */
class AuditLogIT {

    @TempDir
    Path tmp;

    @Test
    void anH2StoreIsNotClosedByH2sShutdownHookUnlessItIsAnAutoServerOneWhichH2DoesNotAllow() {
        assertThat(AuditLog.withoutCloseOnExit("jdbc:h2:file:/var/audit")).isEqualTo("jdbc:h2:file:/var/audit;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(AuditLog.withoutCloseOnExit("jdbc:h2:file:./.driftwarden/audit;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:./.driftwarden/audit;AUTO_SERVER=TRUE");
        assertThat(AuditLog.withoutCloseOnExit("jdbc:postgresql://db/audit")).isEqualTo("jdbc:postgresql://db/audit");
    }

    @Test
    void flywayStartsOnlyWhenTheSchemaIsNotExactlyThisBuildsVersion() throws Exception {
        String url = "jdbc:h2:file:" + tmp.resolve("audit");
        org.h2.jdbcx.JdbcDataSource store = new org.h2.jdbcx.JdbcDataSource();
        store.setURL(url);
        store.setUser("sa");
        assertThat(AuditLog.atSchemaVersion(store)).as("a new store").isFalse();

        AuditLog.on(store, Clock.systemUTC());
        assertThat(AuditLog.atSchemaVersion(store)).as("after Flyway migrated it").isTrue();

        try (Connection db = store.getConnection()) {
            db.createStatement().execute("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '"
                    + AuditLog.SCHEMA_VERSION + "'");
        }
        assertThat(AuditLog.atSchemaVersion(store)).as("a failed migration in the history").isFalse();
        assertThatThrownBy(() -> AuditLog.on(store, Clock.systemUTC())).as("so Flyway runs, and refuses it")
                .hasMessageContaining("failed migration");
    }

    @Test
    void theSchemaVersionIsTheNewestMigration() throws Exception {
        int newest;
        try (var files = java.nio.file.Files.walk(Path.of("src/main/resources/db"))) {
            newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        assertThat(AuditLog.SCHEMA_VERSION).isEqualTo(newest);
    }

    @Test
    void openIntentsAreReadAfterTheBindingsWatermarkWhichNeverPassesAnIntentOfARunStillWriting() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T02:00:00Z"));
        try (AuditLog log = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), clock)) {
            AuditRecord done = log.append(entry("shop", "Deployment", "done", EventType.INTENT));
            log.append(entry("shop", "Deployment", "done", EventType.CORRECTED));
            AuditRecord open = log.append(entry("shop", "Deployment", "api", EventType.INTENT)); // run-1 stops here
            Instant lastWrite = clock.now;

            // while run-1 may still be writing, its intent is not resolved, and the watermark stays below it
            AuditLog.Unfinished early = log.unfinishedIntents("shop", lastWrite.minusSeconds(60));
            assertThat(early.intents()).isEmpty();
            assertThat(early.checkedUpTo()).isEqualTo(open.seq() - 1).isGreaterThanOrEqualTo(done.seq());
            log.intentsCheckedUpTo("shop", early.checkedUpTo());

            // once run-1 is quiet, the intent is found, above the watermark
            AuditLog.Unfinished later = log.unfinishedIntents("shop", lastWrite.plusSeconds(60));
            assertThat(later.intents()).extracting(AuditRecord::seq).containsExactly(open.seq());
            assertThat(later.checkedUpTo()).isEqualTo(log.head().seq());

            // its outcome recorded (as Recovery does) and the watermark moved past it: nothing below is read again
            AuditRecord outcome = log.append(entry("shop", "Deployment", "api", EventType.FAILED));
            log.intentsCheckedUpTo("shop", later.checkedUpTo());
            try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + tmp.resolve("audit"), "sa", "")) {
                db.createStatement().execute("DELETE FROM audit_event WHERE seq = " + outcome.seq()); // reopen it behind the watermark
            }
            assertThat(log.unfinishedIntents("shop", lastWrite.plusSeconds(60)).intents()).as("rows behind the watermark are not read")
                    .isEmpty();
            assertThat(log.unfinishedIntents("billing", lastWrite.plusSeconds(60)).intents()).as("another binding's").isEmpty();
        }
    }

    @Test
    void replacingAnInventoryWritesOnlyWhatChangedSoASteadyRunWritesNothing() throws Exception {
        String url = "jdbc:h2:file:" + tmp.resolve("audit");
        Inventory.Entry a = new Inventory.Entry("v1", "ConfigMap", "shop", "a");
        Inventory.Entry b = new Inventory.Entry("v1", "ConfigMap", "shop", "b");
        Inventory.Entry c = new Inventory.Entry("v1", "Namespace", "", "shop");
        Inventory.Commit first = new Inventory.Commit("file:///repo", "1111");
        try (AuditLog log = AuditLog.open(new AuditSettings(url, "sa", null), Clock.systemUTC())) {
            log.inventory().replace("shop", List.of(a, b), first);
            List<String> rows = rowIds(url);

            // when the same objects and commit are saved again
            log.inventory().replace("shop", List.of(b, a), first);

            // then no row was deleted and inserted again (H2 gives a new row id to each insert)
            assertThat(rowIds(url)).isEqualTo(rows);

            // when one object leaves, one comes and the commit moves on
            log.inventory().replace("shop", List.of(b, c), new Inventory.Commit("file:///repo", "2222"));

            // then only those changed; the untouched row kept its id
            assertThat(log.inventory().of("shop")).containsExactly(b, c);
            assertThat(log.inventory().lastCommit("shop")).isEqualTo(new Inventory.Commit("file:///repo", "2222"));
            assertThat(rowIds(url)).contains(rows.get(1)).doesNotContain(rows.get(0));
        }
    }

    /** Row ids of the inventory, ordered by name (a, b, ...). */
    private static List<String> rowIds(String url) throws Exception {
        try (Connection other = DriverManager.getConnection(url, "sa", "");
             ResultSet rows = other.createStatement().executeQuery("SELECT _ROWID_ || ':' || name FROM inventory ORDER BY name")) {
            List<String> ids = new java.util.ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }

    @Test
    void commitsEachRowBeforeAppendReturns() throws Exception {
        String url = "jdbc:h2:file:" + tmp.resolve("audit");
        try (AuditLog log = AuditLog.open(new AuditSettings(url, "sa", null), Clock.systemUTC())) {
            // when
            log.append(entry("shop", "Deployment", "api", EventType.INTENT));

            // then another connection (no shared transaction) already sees it
            try (Connection other = DriverManager.getConnection(url, "sa", "");
                 ResultSet rows = other.createStatement().executeQuery("SELECT count(*) FROM audit_event WHERE event = 'INTENT'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void chainsEveryRowToTheOneBeforeAcrossReopens() throws Exception {
        AuditSettings settings = new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null);
        try (AuditLog log = AuditLog.open(settings, Clock.systemUTC())) {
            log.append(entry("shop", "Deployment", "api", EventType.INTENT));
            log.append(entry("shop", "Deployment", "api", EventType.CORRECTED));
        }
        try (AuditLog log = AuditLog.open(settings, Clock.systemUTC())) {
            log.append(entry("billing", "Service", "db", EventType.DETECTED));
            List<AuditRecord> records = log.records(ReportFilter.all());

            assertThat(records).hasSize(3);
            assertThat(records.get(0).prevHash()).isEqualTo(ChainHash.GENESIS);
            assertThat(records.get(1).prevHash()).isEqualTo(records.get(0).hash());
            assertThat(records.get(2).prevHash()).isEqualTo(records.get(1).hash());
            for (AuditRecord record : records) {
                assertThat(ChainHash.of(record.prevHash(), record.time(), record.entry())).isEqualTo(record.hash());
            }
        }
    }

    @Test
    void detailsAreStoredAndChainedWhileARowWithoutThemHashesAsBeforeTheyExisted() throws Exception {
        Instant time = Instant.parse("2026-11-01T00:00:00Z");
        AuditEntry plain = entry("shop", "Deployment", "api", EventType.DETECTED);
        // computed by the hash before V11 added the details: old rows must keep verifying
        assertThat(ChainHash.of(ChainHash.GENESIS, time, plain))
                .isEqualTo("21e6f96c4189ea55ccc520fe966b3167584bff6ce15d9ad21d8d05798a531028");
        AuditEntry.Details details = AuditEntry.Details.NONE.withChangedBy("spec.replicas\tkubectl-edit\t2026-11-01T00:00:00Z")
                .withHealth("Failed", "Progressing: ProgressDeadlineExceeded").withException("hotfix-replicas")
                .withChart("oci://registry.example.com/charts app 1.2.3", "sha256:" + "ab".repeat(32));
        assertThat(ChainHash.of(ChainHash.GENESIS, time, plain.withDetails(details)))
                .isNotEqualTo(ChainHash.of(ChainHash.GENESIS, time, plain));

        String url = "jdbc:h2:file:" + tmp.resolve("audit");
        try (AuditLog log = AuditLog.open(new AuditSettings(url, "sa", null), new MutableClock(time))) {
            log.append(plain.withDetails(details));
            log.append(plain);
            List<AuditRecord> records = log.records(ReportFilter.all());
            assertThat(records.get(0).entry().details()).isEqualTo(details);
            assertThat(records.get(1).entry().details()).isEqualTo(AuditEntry.Details.NONE);
            assertThat(log.verify().ok()).isTrue();
            try (Connection edit = DriverManager.getConnection(url, "sa", "")) {
                edit.createStatement().executeUpdate("UPDATE audit_event SET exception_name = 'other' WHERE seq = 1");
            }
            assertThat(log.verify().ok()).isFalse();
        }
    }

    @Test
    void filtersByTimeBindingAndCluster() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
        try (AuditLog log = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), clock)) {
            log.append(entry("shop", "Deployment", "api", EventType.DETECTED));
            clock.now = Instant.parse("2026-11-02T00:00:00Z");
            log.append(entry("billing", "Deployment", "api", EventType.DETECTED));
            clock.now = Instant.parse("2026-11-03T00:00:00Z");
            log.append(entry("shop", "Service", "api", EventType.DETECTED));

            assertThat(log.records(ReportFilter.all())).hasSize(3);
            assertThat(log.records(new ReportFilter(null, null, "shop", null))).extracting(r -> r.entry().kind())
                    .containsExactly("Deployment", "Service");
            assertThat(log.records(new ReportFilter(Instant.parse("2026-11-02T00:00:00Z"), Instant.parse("2026-11-03T00:00:00Z"), null, null)))
                    .extracting(r -> r.entry().binding()).containsExactly("billing");
            assertThat(log.records(new ReportFilter(null, null, null, "elsewhere"))).isEmpty();
        }
    }

    static AuditEntry entry(String binding, String kind, String name, EventType event) {
        return new AuditEntry("run-1", "manual", binding, "file:///srv/git/platform.git",
                "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod", "shop", kind.equals("Service") ? "" : "apps", "v1",
                kind, name, event, "MODIFIED", event == EventType.DETECTED ? "SKIPPED" : "CONFIGURED",
                "spec.replicas", "~ spec.replicas: 5 -> 3", null);
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
