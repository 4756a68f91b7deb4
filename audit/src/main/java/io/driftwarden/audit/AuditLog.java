package io.driftwarden.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.driftwarden.audit.report.Rows;
import io.driftwarden.config.AuditSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The audit store: appends rows to the hash chain, each in its own committed transaction, and reads them back
 * for reports. Open it with {@link #open}; the schema is migrated by Flyway on open.
 */
public final class AuditLog implements AutoCloseable {

    static final int MAX_TEXT = 1_000_000;

    /** The version of the newest migration ({@code db/migration}, {@code db/vendor/*}); a test keeps it true. */
    static final int SCHEMA_VERSION = 12;

    private static final String COLUMNS = "run_id, event_time, run_trigger, binding_name, source_url, commit_sha, cluster,"
            + " namespace, api_group, api_version, kind, name, event, drift_type, action, changed_paths, masked_diff,"
            + " error, prev_hash, hash, changed_by, health_state, health_message, exception_name, chart, chart_digest";

    /**
     * How long a write waits for a connection; once one write has found the store not answering, writes of this process
     * fail at once for {@link #DOWN_FOR}, so a run whose store stopped fails within seconds, not a wait per object.
     */
    static final java.time.Duration STORE_TIMEOUT = java.time.Duration.ofSeconds(5);
    static final java.time.Duration DOWN_FOR = java.time.Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final Clock clock;
    private volatile long downUntil = System.nanoTime();
    private volatile String downBecause;
    private final AutoCloseable owned;

    private AuditLog(DataSource dataSource, Clock clock, AutoCloseable owned) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.owned = owned;
    }

    /** Opens (and migrates) the store the settings name. */
    public static AuditLog open(AuditSettings settings, Clock clock) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(withoutCloseOnExit(settings.url()));
        hikari.setUsername(settings.username());
        hikari.setPassword(settings.resolvePassword());
        hikari.setMaximumPoolSize(12);
        // a store that stops answering fails a write within seconds, not Hikari's 30 s per write (see #append)
        hikari.setConnectionTimeout(STORE_TIMEOUT.toMillis());
        hikari.setValidationTimeout(Math.min(STORE_TIMEOUT.toMillis() / 2, 2_000));
        if (settings.url().startsWith("jdbc:postgresql:")) {
            hikari.addDataSourceProperty("connectTimeout", String.valueOf(STORE_TIMEOUT.toSeconds()));
        }
        hikari.setPoolName("driftwarden-audit");
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            return on(dataSource, clock, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * An H2 URL with {@code DB_CLOSE_ON_EXIT=FALSE}: H2's own shutdown hook would otherwise close the database under a
     * run that is finishing its binding after SIGTERM (the store is closed by its owner, at the very end). H2 refuses
     * that setting with {@code AUTO_SERVER=TRUE} (the default store's), so such URLs stay as they are: there a binding
     * cut off by SIGTERM can leave an intent open, which its next run records (README, "The daemon").
     */
    static String withoutCloseOnExit(String url) {
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (!url.startsWith("jdbc:h2:") || upper.contains("DB_CLOSE_ON_EXIT") || upper.contains("AUTO_SERVER=TRUE")) {
            return url;
        }
        return url + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Uses a data source someone else owns (and closes), migrating it first. */
    public static AuditLog on(DataSource dataSource, Clock clock) {
        return on(dataSource, clock, () -> { });
    }

    private static AuditLog on(DataSource dataSource, Clock clock, AutoCloseable owned) {
        if (!atSchemaVersion(dataSource)) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/" + vendor(dataSource))
                    .load().migrate();
        }
        return new AuditLog(dataSource, clock, owned);
    }

    /**
     * Whether Flyway's history says exactly migrations 1 to {@link #SCHEMA_VERSION} were applied, all successfully: then
     * there is nothing to migrate, and a one-shot command does not pay for starting Flyway (about a quarter of a second
     * on our machines). Anything else (a new store, an older or newer schema, a failed migration) goes to Flyway,
     * which migrates or says what is wrong.
     */
    static boolean atSchemaVersion(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            try (ResultSet history = connection.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
                if (!history.next()) {
                    return false; // a new store (asked first, so that PostgreSQL does not log an error for it)
                }
            }
            return historyAt(connection, SCHEMA_VERSION);
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean historyAt(Connection connection, int version) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\"")) {
            Set<String> applied = new HashSet<>();
            while (rows.next()) {
                if (!rows.getBoolean(2)) {
                    return false;
                }
                // a row without a version is Flyway's own marker (it created the schema); we have no repeatable migrations
                if (rows.getString(1) != null && !applied.add(rows.getString(1))) {
                    return false;
                }
            }
            return applied.equals(IntStream.rangeClosed(1, version).mapToObj(String::valueOf).collect(Collectors.toSet()));
        } catch (SQLException e) {
            return false; // a history Flyway would not recognise either: let it say what is wrong
        }
    }

    /** {@code h2} or {@code postgresql}: where the migrations that differ by database live (Spring Batch's tables). */
    private static String vendor(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
            if (product.contains("h2")) {
                return "h2";
            }
            if (product.contains("postgres")) {
                return "postgresql";
            }
            throw new AuditException("the audit store must be H2 or PostgreSQL, not " + product);
        } catch (SQLException e) {
            throw new AuditException("cannot open the audit store: " + e.getMessage(), e);
        }
    }

    /** {@code h2} or {@code postgresql}. */
    public String vendor() {
        return vendor(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The newest runs (at most {@code limit}; only those that touched {@code binding} when it is set), newest first,
     * each with its counts per binding.
     */
    public List<RunHistory> history(String binding, int limit) {
        String runs = "SELECT run_id, run_trigger, mode, started_at, finished_at, exit_code FROM audit_run"
                + (binding == null ? "" : " WHERE run_id IN (SELECT run_id FROM audit_event WHERE binding_name = ?)")
                + " ORDER BY started_at DESC, seq DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY";
        try (Connection connection = dataSource.getConnection()) {
            List<RunHistory> history = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(runs)) {
                if (binding != null) {
                    query.setString(1, binding);
                }
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        history.add(new RunHistory(rows.getString(1), rows.getString(2), rows.getString(3),
                                rows.getObject(4, OffsetDateTime.class).toInstant(), rows.getObject(5, OffsetDateTime.class).toInstant(),
                                rows.getInt(6), new ArrayList<>()));
                    }
                }
            }
            try (PreparedStatement counts = connection.prepareStatement("SELECT binding_name, event, health_state, COUNT(*) FROM audit_event"
                    + " WHERE run_id = ? GROUP BY binding_name, event, health_state ORDER BY binding_name")) {
                for (RunHistory run : history) {
                    counts.setString(1, run.runId());
                    java.util.Map<String, long[]> perBinding = new java.util.TreeMap<>();
                    try (ResultSet rows = counts.executeQuery()) {
                        while (rows.next()) {
                            long[] c = perBinding.computeIfAbsent(rows.getString(1), k -> new long[6]);
                            switch (EventType.valueOf(rows.getString(2))) {
                                case DETECTED, INTENT -> c[0] += rows.getLong(4);
                                case CORRECTED -> c[1] += rows.getLong(4);
                                case FAILED -> c[2] += rows.getLong(4);
                                case UNMANAGED -> c[3] += rows.getLong(4);
                                case HEALTH -> c[4] += "Failed".equals(rows.getString(3)) ? rows.getLong(4) : 0;
                                case EXCEPTED -> c[5] += rows.getLong(4);
                                default -> { }
                            }
                        }
                    }
                    perBinding.forEach((name, c) -> run.bindings().add(new RunHistory.BindingCounts(name, c[0], c[1], c[2], c[3], c[4], c[5])));
                }
            }
            return history;
        } catch (SQLException e) {
            throw new AuditException("cannot read the run history: " + e.getMessage(), e);
        }
    }

    /**
     * What a binding's earlier runs left open: its {@code INTENT} rows without an outcome ({@code CORRECTED} or
     * {@code FAILED} of the same run and object after it) in runs that are over — by their lease ({@link Leases}: finished
     * or abandoned; a run whose lease says RUNNING is not over), or, for runs without one, that wrote nothing since
     * {@code quietSince} (a run still writing is not stopped) — and how far the binding's rows are then checked. Only rows after the binding's
     * watermark ({@link #intentsCheckedUpTo}) are read, so the cost follows what was written since, not the whole trail.
     */
    public Unfinished unfinishedIntents(String binding, Instant quietSince) {
        String sql = "SELECT seq, " + COLUMNS + ", CASE"
                + " WHEN EXISTS (SELECT 1 FROM run_lease r WHERE r.run_id = i.run_id AND r.state <> 'RUNNING') THEN 1"
                + " WHEN EXISTS (SELECT 1 FROM run_lease r WHERE r.run_id = i.run_id) THEN 0"
                + " WHEN EXISTS (SELECT 1 FROM audit_event l WHERE l.run_id = i.run_id AND l.event_time >= ?) THEN 0 ELSE 1 END AS quiet"
                + " FROM audit_event i WHERE i.binding_name = ? AND i.event = 'INTENT' AND i.seq > ? AND i.seq <= ?"
                + " AND NOT EXISTS (SELECT 1 FROM audit_event o WHERE o.run_id = i.run_id AND o.binding_name = i.binding_name"
                + " AND o.event IN ('CORRECTED', 'FAILED') AND o.seq > i.seq AND o.kind = i.kind AND o.name = i.name"
                + " AND COALESCE(o.namespace, '') = COALESCE(i.namespace, '') AND o.action = i.action)"
                + " ORDER BY seq";
        try (Connection connection = dataSource.getConnection()) {
            long head = headSeq(connection);   // rows up to the head are committed: appends hold the head's lock to commit
            long checked = watermark(connection, binding);
            List<AuditRecord> quiet = new ArrayList<>();
            long checkedUpTo = head;
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setObject(1, utc(quietSince));
                query.setString(2, binding);
                query.setLong(3, checked);
                query.setLong(4, head);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        AuditRecord intent = read(rows);
                        if (rows.getInt("quiet") == 1) {
                            quiet.add(intent);
                        } else {
                            checkedUpTo = Math.min(checkedUpTo, intent.seq() - 1); // a running run's: look again next time
                        }
                    }
                }
            }
            return new Unfinished(quiet, Math.max(checked, checkedUpTo));
        } catch (SQLException e) {
            throw new AuditException("cannot read unfinished intents of " + binding + ": " + e.getMessage(), e);
        }
    }

    /** A binding's open intents to resolve now, and the watermark to store once their outcomes are recorded. */
    public record Unfinished(List<AuditRecord> intents, long checkedUpTo) {
    }

    /**
     * Records that {@code binding}'s rows up to {@code seq} have no open intent left (call it after the outcomes of
     * {@link Unfinished#intents()} are committed); nothing is written when it did not move.
     */
    public void intentsCheckedUpTo(String binding, long seq) {
        try (Connection connection = dataSource.getConnection()) {
            if (watermark(connection, binding) == seq) {
                return;
            }
            connection.setAutoCommit(false);
            try (PreparedStatement forget = connection.prepareStatement("DELETE FROM intent_watermark WHERE binding_name = ?");
                 PreparedStatement remember = connection.prepareStatement("INSERT INTO intent_watermark (binding_name, seq) VALUES (?, ?)")) {
                forget.setString(1, binding);
                forget.executeUpdate();
                remember.setString(1, binding);
                remember.setLong(2, seq);
                remember.executeUpdate();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new AuditException("cannot record how far the intents of " + binding + " are checked: " + e.getMessage(), e);
        }
    }

    private static long watermark(Connection connection, String binding) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT seq FROM intent_watermark WHERE binding_name = ?")) {
            query.setString(1, binding);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    private static long headSeq(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT last_seq FROM audit_chain_head WHERE id = 1");
             ResultSet rows = query.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    /**
     * Archives (to {@code archive}, gzip) and then deletes the rows written before {@code cutoff}; refused when the chain
     * does not verify. See {@link Retention}.
     */
    public Retention.Pruned prune(Instant cutoff, java.nio.file.Path archive) {
        ChainVerifier.Result before = verify();
        if (before.problem() != null) {
            throw new AuditException("not pruning a broken chain: " + before.problem());
        }
        return Retention.prune(dataSource, cutoff, archive);
    }

    /** Walks the chain; see {@link ChainVerifier}. */
    public ChainVerifier.Result verify() {
        return ChainVerifier.verify(dataSource);
    }

    /** The run lifecycle's heartbeats and binding leases (beside the trail, not part of its chain). */
    public Leases leases() {
        return new Leases(dataSource);
    }

    /** What each binding applied (state kept beside the trail, not part of its chain). */
    public Inventory inventory() {
        return new Inventory(dataSource);
    }

    /**
     * Appends one row and commits it before returning: once this returns, the row survives a crash of this
     * process. Appends are serialized by the database — the chain-head row is locked for the transaction — so
     * writers in any number of processes extend one chain.
     */
    public AuditRecord append(AuditEntry entry) {
        AuditEntry bounded = bounded(entry);
        try (Connection connection = writeConnection()) {
            connection.setAutoCommit(false);
            try {
                String prevHash = lockHead(connection);
                Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                String hash = ChainHash.of(prevHash, time, bounded);
                long seq = insert(connection, time, bounded, prevHash, hash);
                try (PreparedStatement head = connection.prepareStatement(
                        "UPDATE audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
                    head.setLong(1, seq);
                    head.setString(2, hash);
                    head.executeUpdate();
                }
                connection.commit();
                return new AuditRecord(seq, time, bounded, prevHash, hash);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new AuditException("cannot append audit row for " + entry.binding() + ": " + unreachable(e), e);
        }
    }

    /**
     * Appends several rows in one transaction (one head lock, one commit): when it returns, all of them are durable,
     * or it throws and none is. A kind rank's {@code INTENT} rows go in one call before any of the rank's writes.
     */
    public List<AuditRecord> appendAll(List<AuditEntry> entries) {
        try (Connection connection = writeConnection()) {
            connection.setAutoCommit(false);
            try {
                String prevHash = lockHead(connection);
                List<AuditRecord> records = new ArrayList<>();
                long seq = 0;
                for (AuditEntry entry : entries) {
                    AuditEntry bounded = bounded(entry);
                    Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    String hash = ChainHash.of(prevHash, time, bounded);
                    seq = insert(connection, time, bounded, prevHash, hash);
                    records.add(new AuditRecord(seq, time, bounded, prevHash, hash));
                    prevHash = hash;
                }
                if (!records.isEmpty()) {
                    try (PreparedStatement head = connection.prepareStatement(
                            "UPDATE audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
                        head.setLong(1, seq);
                        head.setString(2, prevHash);
                        head.executeUpdate();
                    }
                }
                connection.commit();
                return records;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new AuditException("cannot append " + entries.size() + " audit rows: " + unreachable(e), e);
        }
    }

    /** Appends the row that closes a run, with the chain head the run left. */
    public void recordRun(RunSummary run) {
        String sql = "INSERT INTO audit_run (run_id, run_trigger, mode, started_at, finished_at, exit_code, bindings,"
                + " drifts, corrected, failed, chain_seq, chain_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        ChainHead head = head();
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, run.runId());
            insert.setString(2, run.trigger());
            insert.setString(3, run.mode());
            insert.setObject(4, utc(run.startedAt()));
            insert.setObject(5, utc(run.finishedAt()));
            insert.setInt(6, run.exitCode());
            insert.setInt(7, run.bindings());
            insert.setInt(8, run.drifts());
            insert.setInt(9, run.corrected());
            insert.setInt(10, run.failed());
            insert.setLong(11, head.seq());
            insert.setString(12, head.hash());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new AuditException("cannot record run " + run.runId() + ": " + e.getMessage(), e);
        }
    }

    /** The rows the filter selects, oldest first (in memory: for small ranges and tests; reports use {@link #stream}). */
    public List<AuditRecord> records(ReportFilter filter) {
        List<AuditRecord> records = new ArrayList<>();
        try {
            stream(filter, records::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /** Hands the rows the filter selects, oldest first, to {@code handler} one at a time, reading them in pages. */
    public void stream(ReportFilter filter, Rows.Handler handler) throws IOException {
        StringBuilder sql = new StringBuilder("SELECT seq, " + COLUMNS + " FROM audit_event WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.since() != null) {
            sql.append(" AND event_time >= ?");
            args.add(utc(filter.since()));
        }
        if (filter.until() != null) {
            sql.append(" AND event_time < ?");
            args.add(utc(filter.until()));
        }
        if (filter.binding() != null) {
            sql.append(" AND binding_name = ?");
            args.add(filter.binding());
        }
        if (filter.cluster() != null) {
            sql.append(" AND cluster = ?");
            args.add(filter.cluster());
        }
        if (filter.runId() != null) {
            sql.append(" AND run_id = ?");
            args.add(filter.runId());
        }
        sql.append(" ORDER BY seq");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // PostgreSQL pages through a cursor only inside a transaction
            try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
                query.setFetchSize(500);
                for (int i = 0; i < args.size(); i++) {
                    query.setObject(i + 1, args.get(i));
                }
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        handler.row(read(rows));
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new AuditException("cannot read audit rows: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws Exception {
        owned.close();
    }

    /** A connection for a write, or at once the failure that showed the store down less than {@link #DOWN_FOR} ago. */
    private Connection writeConnection() throws SQLException {
        if (downBecause != null && System.nanoTime() - downUntil < 0) {
            throw new java.sql.SQLTransientConnectionException("the audit store stopped answering (" + downBecause + "); not waiting again",
                    "08001");
        }
        return dataSource.getConnection();
    }

    /** The message of {@code e}; a failure to reach the store marks it down for {@link #DOWN_FOR}. */
    private String unreachable(SQLException e) {
        boolean connection = e instanceof java.sql.SQLTransientConnectionException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
        if (connection && !e.getMessage().contains("not waiting again")) {
            downBecause = e.getMessage();
            downUntil = System.nanoTime() + DOWN_FOR.toNanos();
        }
        return e.getMessage();
    }

    /** Locks the chain head for this transaction and returns its hash (the next row's {@code prev_hash}). */
    private static String lockHead(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE");
             ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("the audit_chain_head row is missing: the audit store was changed by hand");
            }
            return rows.getString(1);
        }
    }

    /** The chain's head now: the last row's seq and hash (seq 0 and the genesis hash when empty). */
    public ChainHead head() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1");
             ResultSet rows = query.executeQuery()) {
            return rows.next() ? new ChainHead(rows.getLong(1), rows.getString(2)) : new ChainHead(0, ChainHash.GENESIS);
        } catch (SQLException e) {
            throw new AuditException("cannot read the chain head: " + e.getMessage(), e);
        }
    }

    private static long insert(Connection connection, Instant time, AuditEntry e, String prevHash, String hash)
            throws SQLException {
        String sql = "INSERT INTO audit_event (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql, new String[] {"seq"})) {
            Object[] values = {
                e.runId(), utc(time), e.trigger(), e.binding(), e.sourceUrl(), e.commit(), e.cluster(), e.namespace(),
                e.group(), e.version(), e.kind(), e.name(), e.event().name(), e.driftType(), e.action(),
                e.changedPaths(), e.maskedDiff(), e.error(), prevHash, hash, e.details().changedBy(),
                e.details().healthState(), e.details().healthMessage(), e.details().exceptionName(), e.details().chart(),
                e.details().chartDigest()
            };
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static AuditRecord read(ResultSet rows) throws SQLException {
        Instant time = rows.getObject("event_time", OffsetDateTime.class).toInstant();
        return new AuditRecord(rows.getLong("seq"), time, entry(rows), rows.getString("prev_hash"), rows.getString("hash"));
    }

    /** The fields of the current row as appended (what its hash covers, with the time apart). */
    static AuditEntry entry(ResultSet rows) throws SQLException {
        return new AuditEntry(
                rows.getString("run_id"), rows.getString("run_trigger"), rows.getString("binding_name"),
                rows.getString("source_url"), rows.getString("commit_sha"), rows.getString("cluster"),
                rows.getString("namespace"), rows.getString("api_group"), rows.getString("api_version"),
                rows.getString("kind"), rows.getString("name"), EventType.valueOf(rows.getString("event")),
                rows.getString("drift_type"), rows.getString("action"), rows.getString("changed_paths"),
                rows.getString("masked_diff"), rows.getString("error"), new AuditEntry.Details(
                        rows.getString("changed_by"), rows.getString("health_state"), rows.getString("health_message"),
                        rows.getString("exception_name"), rows.getString("chart"), rows.getString("chart_digest")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static AuditEntry bounded(AuditEntry e) {
        return new AuditEntry(e.runId(), e.trigger(), e.binding(), e.sourceUrl(), e.commit(), e.cluster(), e.namespace(),
                e.group(), e.version(), e.kind(), e.name(), e.event(), e.driftType(), e.action(),
                cut(e.changedPaths()), cut(e.maskedDiff()), cut(e.error()), e.details().withChangedBy(
                        cut(e.details().changedBy())).withHealth(e.details().healthState(),
                        cut(e.details().healthMessage())));
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 20) + "\n… (truncated)";
    }
}
