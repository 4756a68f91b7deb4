package io.driftwarden.audit;

import static io.driftwarden.audit.AuditLogIT.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.driftwarden.config.CheckpointSettings;
import io.driftwarden.config.SecretRef;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signed checkpoints against tampering by someone who can write the database but does not hold the signing key, on a
 * real H2 file and on real PostgreSQL. Each row of the table is one tampering: what the plain chain walk says, and what
 * the checkpoints say. A store of six rows in two runs, each run followed by its checkpoint.
 */
class CheckpointsIT {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Instant OLD = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NEW = Instant.parse("2026-11-01T00:00:00Z");
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

    /** Something done to a store (and its checkpoints) after its two runs. */
    interface Tampering {
        void apply(Store store) throws Exception;
    }

    static Stream<Arguments> tamperings() {
        List<Arguments> rows = new ArrayList<>();
        for (String database : List.of("h2", "postgres")) {
            rows.add(Arguments.of(database, "nothing", tampering(), null, null));
            rows.add(Arguments.of(database, "edit", tampering("UPDATE audit_event SET name = 'other' WHERE seq = 2"),
                    "row seq 2 was edited: its fields no longer give its hash", null));
            rows.add(Arguments.of(database, "delete", tampering("DELETE FROM audit_event WHERE seq = 2"),
                    "row seq 3 does not follow row seq 1: a row was deleted, inserted or reordered here", null));
            rows.add(Arguments.of(database, "insert", tampering("INSERT INTO audit_event (seq, run_id, event_time, run_trigger,"
                    + " binding_name, event, prev_hash, hash) SELECT 100, run_id, event_time, run_trigger, binding_name, event,"
                    + " 'forged-prev', 'forged' FROM audit_event WHERE seq = 1"),
                    "row seq 100 was edited: its fields no longer give its hash", null));
            rows.add(Arguments.of(database, "reorder", tampering("UPDATE audit_event SET seq = 1000 + seq WHERE seq IN (2, 3)",
                    "UPDATE audit_event SET seq = 3 WHERE seq = 1002", "UPDATE audit_event SET seq = 2 WHERE seq = 1003"),
                    "row seq 2 does not follow row seq 1: a row was deleted, inserted or reordered here",
                    "checkpoint line 1 (run run-1, 2026-01-01T00:00:00Z, head seq 3) is contradicted: row seq 3 now has hash"));
            rows.add(Arguments.of(database, "tail deleted, head and run tables rewritten", (Tampering) Store::cutTail, null,
                    "checkpoint line 2 (run run-2, 2026-11-01T00:00:00Z, head seq 6) is contradicted: row seq 6 is no longer in the"
                            + " store: rows were deleted or the table truncated"));
            rows.add(Arguments.of(database, "tail rewritten with recomputed hashes", (Tampering) Store::rewriteTail, null,
                    "checkpoint line 2 (run run-2, 2026-11-01T00:00:00Z, head seq 6) is contradicted: row seq 6 now has hash"));
            rows.add(Arguments.of(database, "anchor forged after a prune", (Tampering) Store::forgeAnchorAfterPrune, null,
                    "checkpoint line 3 (prune, 2026-11-01T00:00:00Z, head seq 6) is contradicted: the store's anchor says the rows"
                            + " through seq 5 were pruned, but the last signed prune left the anchor at seq 3: rows were deleted"
                            + " without a signed prune and the anchor forged"));
            rows.add(Arguments.of(database, "table truncated", tampering("DELETE FROM audit_event", "DELETE FROM audit_run",
                    "UPDATE audit_chain_head SET last_seq = 0, last_hash = '" + ChainHash.GENESIS + "'"), null,
                    "checkpoint line 1 (run run-1, 2026-01-01T00:00:00Z, head seq 3) is contradicted: row seq 3 is no longer in the"
                            + " store: rows were deleted or the table truncated"));
            rows.add(Arguments.of(database, "checkpoint edited", (Tampering) s -> s.editCheckpoint(2, "\"seq\":6", "\"seq\":5"), null,
                    "checkpoint line 2 (run run-2, 2026-11-01T00:00:00Z, head seq 5) has a bad signature"));
            rows.add(Arguments.of(database, "first checkpoint removed", (Tampering) s -> s.removeCheckpoint(1), null,
                    "checkpoint line 1 (run run-2, 2026-11-01T00:00:00Z, head seq 6) does not start the checkpoint chain"));
            rows.add(Arguments.of(database, "middle checkpoint removed", (Tampering) s -> {
                s.checkpoint();
                s.removeCheckpoint(2);
            }, null, "checkpoint line 2 (manual, 2026-11-01T00:00:00Z, head seq 6) does not name checkpoint line 1 as its predecessor"));
            rows.add(Arguments.of(database, "another key", (Tampering) s -> s.publicKey = KeyPairGenerator.getInstance("Ed25519")
                    .generateKeyPair().getPublic(), null,
                    "checkpoint line 1 (run run-1, 2026-01-01T00:00:00Z, head seq 3) has a bad signature"));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("tamperings")
    void verifyWithCheckpointsCatchesEachTampering(String database, String what, Tampering tampering, String chainProblem,
                                                   String checkpointProblem) throws Exception {
        try (Store store = store(database)) {
            tampering.apply(store);

            ChainVerifier.Result chain = store.log.verify();
            Checkpoints.Result checkpoints = Checkpoints.verify(store.file, store.publicKey, store.pool, List.of());

            assertThat(chain.problem()).as("the chain walk").isEqualTo(chainProblem);
            if (checkpointProblem == null) {
                assertThat(checkpoints.problem()).as("the checkpoints").isNull();
            } else {
                assertThat(checkpoints.problem()).as("the checkpoints").startsWith(checkpointProblem);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aForgedRowAppendedAfterTheLastCheckpointIsOnlyNotedNotCaught(String database) throws Exception {
        try (Store store = store(database)) {
            store.log.append(entry("shop", "ConfigMap", "forged", EventType.CORRECTED)); // the hash is unkeyed: anyone can compute it

            Checkpoints.Result checkpoints = Checkpoints.verify(store.file, store.publicKey, store.pool, List.of());

            assertThat(checkpoints.problem()).isNull();
            assertThat(checkpoints.notes()).containsExactly("1 row(s) after the last checkpoint (seq 6) are not signed yet: the next run's"
                    + " checkpoint or audit checkpoint signs them");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void afterAPruneTheArchivesProveEveryCheckpointFromGenesis(String database) throws Exception {
        try (Store store = store(database)) {
            Path archive = store.prune();

            Checkpoints.Result withoutArchive = Checkpoints.verify(store.file, store.publicKey, store.pool, List.of());
            Checkpoints.Result withArchive = Checkpoints.verify(store.file, store.publicKey, store.pool, List.of(archive));

            assertThat(withoutArchive.problem()).isNull();
            assertThat(withoutArchive.notes()).as("the first checkpoint signed row 3, now the anchor").isEmpty();
            assertThat(withArchive.problem()).isNull();
            assertThat(withArchive.notes()).isEmpty();
            assertThat(Checkpoints.verify(store.file, store.publicKey, store.pool, List.of(tmp.resolve("missing.gz"))).problem())
                    .startsWith("cannot read");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRunThatAppendedNothingWritesNoCheckpoint(String database) throws Exception {
        try (Store store = store(database)) {
            assertThat(Checkpoints.afterRun(store.settings, store.log, "run-3", store.clock)).isNull();
            assertThat(Files.readAllLines(store.file)).hasSize(2);
        }
    }

    @org.junit.jupiter.api.Test
    void runsFinishingAtOnceInOneProcessChainTheirCheckpointsInOrder() throws Exception {
        try (Store store = store("h2")) {
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String runId = "parallel-" + i;
                runs.add(threads.submit(() -> {
                    store.log.append(entry("shop", "ConfigMap", runId, EventType.DETECTED));
                    return Checkpoints.afterRun(store.settings, store.log, runId, store.clock);
                }));
            }
            for (java.util.concurrent.Future<?> run : runs) {
                run.get();
            }
            threads.shutdown();

            Checkpoints.Result checkpoints = Checkpoints.verify(store.file, store.publicKey, store.pool, List.of());

            assertThat(checkpoints.problem()).isNull();
            assertThat(checkpoints.notes()).isEmpty();
            assertThat(Files.readAllLines(store.file)).hasSizeBetween(3, 18).last().asString().contains("\"seq\":22,");
        }
    }

    private static Tampering tampering(String... statements) {
        return store -> store.sql(statements);
    }

    private Store store(String database) throws Exception {
        String url;
        if (database.equals("h2")) {
            url = "jdbc:h2:file:" + tmp.resolve("audit-" + DATABASES.incrementAndGet());
        } else {
            String name = "checkpoints_" + DATABASES.incrementAndGet();
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
                statement.executeUpdate("CREATE DATABASE " + name);
            }
            url = postgres.getJdbcUrl("postgres", name);
        }
        return new Store(url, tmp);
    }

    /** A store with two runs of three rows each, a checkpoint after each, and the key pair that signed them. */
    static final class Store implements AutoCloseable {
        final HikariDataSource pool = new HikariDataSource();
        final AuditLogIT.MutableClock clock = new AuditLogIT.MutableClock(OLD);
        final AuditLog log;
        final Path file;
        final Path dir;
        final CheckpointSettings settings;
        PublicKey publicKey;

        Store(String url, Path tmp) throws Exception {
            pool.setJdbcUrl(url);
            pool.setUsername(url.startsWith("jdbc:h2") ? "sa" : "postgres");
            pool.setMaximumPoolSize(4);
            log = AuditLog.on(pool, clock);
            dir = Files.createTempDirectory(tmp, "store");
            file = dir.resolve("checkpoints.jsonl");
            KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            publicKey = keys.getPublic();
            Path key = dir.resolve("signing.pem");
            Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            settings = new CheckpointSettings(file, new SecretRef("file", key.toString()), "test");
            run("run-1", "old");
            clock.now = NEW;
            run("run-2", "new");
        }

        static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }

        private void run(String runId, String name) {
            for (int i = 1; i <= 3; i++) {
                log.append(entry("shop", "ConfigMap", name + "-" + i, EventType.DETECTED));
            }
            log.recordRun(new RunSummary(runId, "cronjob", "audit", clock.now, clock.now, 2, 1, 3, 0, 0));
            assertThat(Checkpoints.afterRun(settings, log, runId, clock)).isNotNull();
        }

        void checkpoint() {
            Checkpoints.now(settings, log, clock);
        }

        Path prune() {
            Path archive = dir.resolve("archive.jsonl.gz");
            assertThat(log.prune(Instant.parse("2026-06-01T00:00:00Z"), archive).rows()).isEqualTo(3);
            assertThat(Checkpoints.afterPrune(settings, log, clock)).isNotNull();
            return archive;
        }

        void sql(String... statements) throws Exception {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.executeUpdate(sql);
                }
            }
        }

        /** The newest two rows deleted, and the head and the run that ended there made to agree. */
        void cutTail() throws Exception {
            String hash4 = hashAt(4);
            sql("DELETE FROM audit_event WHERE seq > 4",
                    "UPDATE audit_chain_head SET last_seq = 4, last_hash = '" + hash4 + "'",
                    "UPDATE audit_run SET chain_seq = 4, chain_hash = '" + hash4 + "' WHERE run_id = 'run-2'");
        }

        /** Row 5 changed and every hash after it recomputed, the head and the run table with them: the chain walks green. */
        void rewriteTail() throws Exception {
            List<AuditRecord> rows = log.records(ReportFilter.all());
            String prev = rows.get(3).hash();
            try (Connection connection = pool.getConnection();
                 PreparedStatement update = connection.prepareStatement("UPDATE audit_event SET name = ?, prev_hash = ?, hash = ? WHERE seq = ?")) {
                for (AuditRecord row : rows.subList(4, 6)) {
                    AuditEntry e = row.entry();
                    AuditEntry changed = row.seq() == 5 ? new AuditEntry(e.runId(), e.trigger(), e.binding(), e.sourceUrl(), e.commit(),
                            e.cluster(), e.namespace(), e.group(), e.version(), e.kind(), "innocent", e.event(), e.driftType(), e.action(),
                            e.changedPaths(), e.maskedDiff(), e.error()) : e;
                    String hash = ChainHash.of(prev, row.time(), changed);
                    update.setString(1, changed.name());
                    update.setString(2, prev);
                    update.setString(3, hash);
                    update.setLong(4, row.seq());
                    update.executeUpdate();
                    prev = hash;
                }
            }
            sql("UPDATE audit_chain_head SET last_hash = '" + prev + "'", "UPDATE audit_run SET chain_hash = '" + prev + "' WHERE run_id = 'run-2'");
        }

        /** A signed prune through seq 3; then rows 4 and 5 deleted and the anchor set to row 5 as if pruned. */
        void forgeAnchorAfterPrune() throws Exception {
            prune();
            String hash5 = hashAt(5);
            sql("DELETE FROM audit_event WHERE seq IN (4, 5)", "UPDATE audit_anchor SET seq = 5, hash = '" + hash5 + "'");
        }

        void editCheckpoint(int line, String from, String to) throws Exception {
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            assertThat(lines.get(line - 1)).contains(from);
            lines.set(line - 1, lines.get(line - 1).replace(from, to));
            Files.write(file, lines);
        }

        void removeCheckpoint(int line) throws Exception {
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            lines.remove(line - 1);
            Files.write(file, lines);
        }

        private String hashAt(long seq) throws Exception {
            try (Connection connection = pool.getConnection();
                 ResultSet rows = connection.createStatement().executeQuery("SELECT hash FROM audit_event WHERE seq = " + seq)) {
                rows.next();
                return rows.getString(1);
            }
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
