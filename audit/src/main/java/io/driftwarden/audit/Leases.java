package io.driftwarden.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The run lifecycle's rows beside the trail (tables {@code run_lease}, {@code binding_lease}; not part of the chain):
 * each run's heartbeat, and who reconciles each binding now. The same SQL on H2 and PostgreSQL: a lease is taken by
 * an insert (the primary key lets one process win) or by an update that only matches an expired or own row, each one
 * statement, so two processes cannot both hold one.
 */
public final class Leases {

    /** {@code run_lease.state}. */
    public enum State { RUNNING, FINISHED, ABANDONED }

    /** One run's lease row. {@code mode} is the mode the run was asked for ({@code null}: each binding's own). */
    public record Run(String runId, String restartOf, String trigger, String mode, List<String> bindings, String holder,
                      Instant startedAt, Instant heartbeatAt, State state) {
    }

    private static final String DUPLICATE_KEY = "23505";

    private final DataSource dataSource;

    Leases(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records that {@code run} starts now (state RUNNING, heartbeat = its start); false when a run with that id exists
     * already (its id is taken: a restart picks the next number).
     */
    public boolean begin(Run run) {
        String sql = "INSERT INTO run_lease (run_id, restart_of, run_trigger, run_mode, bindings, holder, started_at, heartbeat_at, state)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, run.runId());
            insert.setString(2, run.restartOf());
            insert.setString(3, run.trigger());
            insert.setString(4, run.mode());
            insert.setString(5, String.join(",", run.bindings()));
            insert.setString(6, run.holder());
            insert.setObject(7, utc(run.startedAt()));
            insert.setObject(8, utc(run.startedAt()));
            insert.setString(9, State.RUNNING.name());
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                return false;
            }
            throw new AuditException("cannot record the start of run " + run.runId() + ": " + e.getMessage(), e);
        }
    }

    /** The lease row of {@code runId}, if it has one (runs before this table had none). */
    public Optional<Run> run(String runId) {
        String sql = "SELECT run_id, restart_of, run_trigger, run_mode, bindings, holder, started_at, heartbeat_at, state FROM run_lease"
                + " WHERE run_id = ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, runId);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Run(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5).isEmpty() ? List.of() : Arrays.asList(rows.getString(5).split(",")), rows.getString(6),
                        rows.getObject(7, OffsetDateTime.class).toInstant(), rows.getObject(8, OffsetDateTime.class).toInstant(),
                        State.valueOf(rows.getString(9))));
            }
        } catch (SQLException e) {
            throw new AuditException("cannot read the lease of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** The newest run that restarted {@code runId}, if one did. */
    public Optional<String> restartedAs(String runId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT run_id FROM run_lease WHERE restart_of = ? ORDER BY started_at DESC")) {
            query.setString(1, runId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new AuditException("cannot look up restarts of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code runId} is taken, as a lease row or as a recorded run. */
    public boolean taken(String runId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT 1 FROM run_lease WHERE run_id = ?"
                     + " UNION ALL SELECT 1 FROM audit_run WHERE run_id = ?")) {
            query.setString(1, runId);
            query.setString(2, runId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new AuditException("cannot look up run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** Renews the heartbeat of {@code runId} and the leases of the bindings it holds, until {@code expiresAt}. */
    public void heartbeat(String runId, Instant now, Instant expiresAt) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement run = connection.prepareStatement("UPDATE run_lease SET heartbeat_at = ? WHERE run_id = ? AND state = 'RUNNING'");
             PreparedStatement bindings = connection.prepareStatement("UPDATE binding_lease SET expires_at = ? WHERE run_id = ?")) {
            run.setObject(1, utc(now));
            run.setString(2, runId);
            run.executeUpdate();
            bindings.setObject(1, utc(expiresAt));
            bindings.setString(2, runId);
            bindings.executeUpdate();
        } catch (SQLException e) {
            throw new AuditException("cannot renew the lease of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** Marks {@code runId} FINISHED and gives up any binding lease it still holds. */
    public void finish(String runId) {
        end(runId, State.FINISHED, State.RUNNING);
    }

    /**
     * The RUNNING runs whose heartbeat is older than {@code staleBefore} (their process died), each marked ABANDONED here
     * (one statement per run, so of two processes that find it only one marks it) and returned as it was; their binding
     * leases are given up.
     */
    public List<Run> abandonStale(Instant staleBefore) {
        List<String> stale = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT run_id FROM run_lease WHERE state = 'RUNNING' AND heartbeat_at < ?")) {
            query.setObject(1, utc(staleBefore));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stale.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new AuditException("cannot look for abandoned runs: " + e.getMessage(), e);
        }
        List<Run> abandoned = new ArrayList<>();
        for (String runId : stale) {
            Optional<Run> before = run(runId);
            if (before.isPresent() && abandon(runId, staleBefore)) {
                abandoned.add(before.get());
            }
        }
        return abandoned;
    }

    /** Marks {@code runId} ABANDONED when it is RUNNING with a heartbeat older than {@code staleBefore}; false otherwise. */
    public boolean abandon(String runId, Instant staleBefore) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE run_lease SET state = 'ABANDONED' WHERE run_id = ?"
                     + " AND state = 'RUNNING' AND heartbeat_at < ?");
             PreparedStatement release = connection.prepareStatement("DELETE FROM binding_lease WHERE run_id = ?")) {
            update.setString(1, runId);
            update.setObject(2, utc(staleBefore));
            if (update.executeUpdate() == 0) {
                return false;
            }
            release.setString(1, runId);
            release.executeUpdate();
            return true;
        } catch (SQLException e) {
            throw new AuditException("cannot mark run " + runId + " abandoned: " + e.getMessage(), e);
        }
    }

    private void end(String runId, State to, State from) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE run_lease SET state = ? WHERE run_id = ? AND state = ?");
             PreparedStatement release = connection.prepareStatement("DELETE FROM binding_lease WHERE run_id = ?")) {
            update.setString(1, to.name());
            update.setString(2, runId);
            update.setString(3, from.name());
            update.executeUpdate();
            release.setString(1, runId);
            release.executeUpdate();
        } catch (SQLException e) {
            throw new AuditException("cannot record the end of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes the lease of {@code binding} for {@code runId} until {@code expiresAt}: empty when taken (it was free, expired
     * or this run's), else who holds it ({@code run R (holder H) until T}).
     */
    public Optional<String> acquire(String binding, String runId, String holder, Instant now, Instant expiresAt) {
        try (Connection connection = dataSource.getConnection()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                try (PreparedStatement takeOver = connection.prepareStatement("UPDATE binding_lease SET run_id = ?, holder = ?, expires_at = ?"
                        + " WHERE binding_name = ? AND (expires_at < ? OR run_id = ?)")) {
                    takeOver.setString(1, runId);
                    takeOver.setString(2, holder);
                    takeOver.setObject(3, utc(expiresAt));
                    takeOver.setString(4, binding);
                    takeOver.setObject(5, utc(now));
                    takeOver.setString(6, runId);
                    if (takeOver.executeUpdate() == 1) {
                        return Optional.empty();
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO binding_lease (binding_name, run_id, holder, expires_at) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, binding);
                    insert.setString(2, runId);
                    insert.setString(3, holder);
                    insert.setObject(4, utc(expiresAt));
                    insert.executeUpdate();
                    return Optional.empty();
                } catch (SQLException e) {
                    if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                        throw e;
                    }
                }
                try (PreparedStatement query = connection.prepareStatement("SELECT run_id, holder, expires_at FROM binding_lease"
                        + " WHERE binding_name = ? AND expires_at >= ?")) {
                    query.setString(1, binding);
                    query.setObject(2, utc(now));
                    try (ResultSet rows = query.executeQuery()) {
                        if (rows.next()) {
                            return Optional.of("run " + rows.getString(1) + " (" + rows.getString(2) + ") until "
                                    + rows.getObject(3, OffsetDateTime.class).toInstant());
                        }
                    }
                }
                // the holder let go (or its lease expired) between our statements: try again
            }
            return Optional.of("another run (the lease changed hands while it was being taken)");
        } catch (SQLException e) {
            throw new AuditException("cannot take the lease of binding " + binding + ": " + e.getMessage(), e);
        }
    }

    /** Gives up the lease of {@code binding} if {@code runId} holds it. */
    public void release(String binding, String runId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM binding_lease WHERE binding_name = ? AND run_id = ?")) {
            delete.setString(1, binding);
            delete.setString(2, runId);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new AuditException("cannot give up the lease of binding " + binding + ": " + e.getMessage(), e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
