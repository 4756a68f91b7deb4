package io.driftwarden.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Walks the audit chain in seq order, streaming (memory grows only with the runs and the open intents, not the
 * rows): every row's hash must be the hash of its fields and its {@code prev_hash} the previous row's hash — an
 * edited row fails the first test, a deleted, inserted or reordered one the second. Each run's recorded chain head
 * must still be in the chain (the newest rows deleted), and so must the chain-head row. After a prune the chain starts
 * from the anchor the archive left. Every {@code INTENT} must
 * have an outcome ({@code CORRECTED} or {@code FAILED}) in its run.
 */
public final class ChainVerifier {

    /** What a walk found. {@code problem} is the first break of the chain (null when intact). */
    public record Result(long rows, String problem, List<String> openIntents) {
        public boolean ok() {
            return problem == null && openIntents.isEmpty();
        }
    }

    private ChainVerifier() {
    }

    public static Result verify(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            ChainHead anchor = Retention.anchor(connection);
            Map<Long, List<String[]>> runHeads = runHeads(connection);
            runHeads.keySet().removeIf(seq -> seq <= anchor.seq()); // pruned into an archive
            String problem = null;
            long rows = 0;
            String expectedPrev = anchor.hash();
            long previousSeq = anchor.seq();
            Map<String, String> openIntents = new LinkedHashMap<>();
            Map<Long, String> hashAt = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM audit_event ORDER BY seq")) {
                query.setFetchSize(500);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        rows++;
                        long seq = row.getLong("seq");
                        AuditEntry entry = AuditLog.entry(row);
                        Instant time = row.getObject("event_time", OffsetDateTime.class).toInstant();
                        String prevHash = row.getString("prev_hash");
                        String hash = row.getString("hash");
                        if (problem == null && !ChainHash.of(prevHash, time, entry).equals(hash)) {
                            problem = "row seq " + seq + " was edited: its fields no longer give its hash";
                        } else if (problem == null && !prevHash.equals(expectedPrev)) {
                            problem = "row seq " + seq + " does not follow " + (previousSeq == 0 ? "the start of the chain"
                                    : previousSeq == anchor.seq() ? "the anchor left by the last prune (seq " + previousSeq + ")"
                                    : "row seq " + previousSeq)
                                    + ": a row was deleted, inserted or reordered here";
                        }
                        if (runHeads.containsKey(seq)) {
                            hashAt.put(seq, hash);
                        }
                        track(openIntents, seq, entry);
                        expectedPrev = hash;
                        previousSeq = seq;
                    }
                }
            }
            if (problem == null) {
                problem = checkHeads(connection, runHeads, hashAt, previousSeq, expectedPrev);
            }
            connection.rollback();
            return new Result(rows, problem, List.copyOf(openIntents.values()));
        } catch (SQLException e) {
            throw new AuditException("cannot verify the audit chain: " + e.getMessage(), e);
        }
    }

    /** Each run's recorded head, by seq: {@code [run id, hash]}. */
    private static Map<Long, List<String[]>> runHeads(Connection connection) throws SQLException {
        Map<Long, List<String[]>> heads = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT run_id, chain_seq, chain_hash FROM audit_run WHERE chain_seq IS NOT NULL AND chain_seq > 0");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                heads.computeIfAbsent(rows.getLong(2), k -> new ArrayList<>()).add(new String[] {rows.getString(1), rows.getString(3)});
            }
        }
        return heads;
    }

    private static String checkHeads(Connection connection, Map<Long, List<String[]>> runHeads, Map<Long, String> hashAt,
                                     long lastSeq, String lastHash) throws SQLException {
        for (Map.Entry<Long, List<String[]>> head : runHeads.entrySet()) {
            for (String[] run : head.getValue()) {
                String found = hashAt.get(head.getKey());
                if (!run[1].equals(found)) {
                    return "run " + run[0] + " ended at row seq " + head.getKey() + " (hash " + run[1].substring(0, 12) + "…), which "
                            + (found == null ? "is no longer in the chain: rows were deleted" : "now has another hash");
                }
            }
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1");
             ResultSet rows = query.executeQuery()) {
            if (rows.next() && (rows.getLong(1) != lastSeq || !rows.getString(2).equals(lastHash))) {
                return "the chain head says the last row is seq " + rows.getLong(1) + ", the chain ends at seq " + lastSeq
                        + ": the newest rows were deleted or added by hand";
            }
        }
        return null;
    }

    /** Opens an intent, or closes it with its outcome (same run, binding, object and action). */
    private static void track(Map<String, String> openIntents, long seq, AuditEntry entry) {
        String key = String.join("|", entry.runId(), entry.binding(), String.valueOf(entry.kind()), String.valueOf(entry.namespace()),
                String.valueOf(entry.name()), String.valueOf(entry.action()));
        if (entry.event() == EventType.INTENT) {
            openIntents.put(key, "row seq " + seq + ": INTENT " + entry.action() + " " + entry.subject() + " (run " + entry.runId()
                    + ", binding " + entry.binding() + ") has no outcome");
        } else if (entry.event() == EventType.CORRECTED || entry.event() == EventType.FAILED) {
            openIntents.remove(key);
        }
    }
}
