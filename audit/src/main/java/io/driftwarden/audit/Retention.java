package io.driftwarden.audit;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Retention: the oldest rows, a prefix of the chain, are written to a gzip archive (a header line with the anchor they
 * start from and the row they end at, then one JSON line per row, every field the hash covers) and only then deleted;
 * the last archived row's seq and hash become the anchor the table's chain starts from. An archive can be checked on
 * its own.
 */
public final class Retention {

    static final String FORMAT = "driftwarden-audit-archive/1";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] FIELDS = {"run_id", "run_trigger", "binding_name", "source_url", "commit_sha", "cluster",
        "namespace", "api_group", "api_version", "kind", "name", "event", "drift_type", "action", "changed_paths",
        "masked_diff", "error", "prev_hash", "hash", "changed_by", "health_state", "health_message", "exception_name",
        "chart", "chart_digest"};

    /** What a prune did: how many rows went to the archive, and the row the table's chain now starts after. */
    public record Pruned(long rows, long throughSeq, String throughHash) {
    }

    private Retention() {
    }

    /** The anchor the table's chain starts from: the last pruned row, or seq 0 and the genesis hash. */
    static ChainHead anchor(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT seq, hash FROM audit_anchor WHERE id = 1");
             ResultSet rows = query.executeQuery()) {
            return rows.next() ? new ChainHead(rows.getLong(1), rows.getString(2)) : new ChainHead(0, ChainHash.GENESIS);
        }
    }

    /**
     * Archives then deletes every row written before {@code cutoff} (and every row before those: the chain is cut at one
     * place). Nothing is deleted unless the archive was written and closed first.
     */
    static Pruned prune(DataSource dataSource, Instant cutoff, Path archive) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long through;
                try (PreparedStatement last = connection.prepareStatement("SELECT MAX(seq) FROM audit_event WHERE event_time < ?")) {
                    last.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                    try (ResultSet rows = last.executeQuery()) {
                        rows.next();
                        through = rows.getLong(1);
                    }
                }
                ChainHead anchor = anchor(connection);
                if (through <= anchor.seq()) {
                    connection.rollback();
                    return new Pruned(0, anchor.seq(), anchor.hash());
                }
                long[] count = {0};
                String[] lastHash = {anchor.hash()};
                try (Writer out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(new FileOutputStream(archive.toFile())),
                        StandardCharsets.UTF_8));
                     PreparedStatement query = connection.prepareStatement("SELECT * FROM audit_event WHERE seq <= ? ORDER BY seq")) {
                    ObjectNode header = JSON.createObjectNode().put("format", FORMAT);
                    header.putObject("anchor").put("seq", anchor.seq()).put("hash", anchor.hash());
                    header.put("throughSeq", through);
                    out.write(JSON.writeValueAsString(header) + "\n");
                    query.setFetchSize(500);
                    query.setLong(1, through);
                    try (ResultSet row = query.executeQuery()) {
                        while (row.next()) {
                            ObjectNode line = JSON.createObjectNode().put("seq", row.getLong("seq"))
                                    .put("event_time", row.getObject("event_time", OffsetDateTime.class).toInstant().toString());
                            for (String field : FIELDS) {
                                line.put(field, row.getString(field));
                            }
                            out.write(JSON.writeValueAsString(line) + "\n");
                            count[0]++;
                            lastHash[0] = row.getString("hash");
                        }
                    }
                }
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM audit_event WHERE seq <= ?");
                     PreparedStatement clear = connection.prepareStatement("DELETE FROM audit_anchor");
                     PreparedStatement set = connection.prepareStatement("INSERT INTO audit_anchor (id, seq, hash) VALUES (1, ?, ?)")) {
                    delete.setLong(1, through);
                    delete.executeUpdate();
                    clear.executeUpdate();
                    set.setLong(1, through);
                    set.setString(2, lastHash[0]);
                    set.executeUpdate();
                }
                connection.commit();
                return new Pruned(count[0], through, lastHash[0]);
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new AuditException("cannot prune the audit trail: " + e.getMessage(), e);
        }
    }

    /** Checks an archive on its own: every row's hash, and the chain from its anchor through its last row. */
    public static ChainVerifier.Result verifyArchive(Path archive) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(archive)),
                StandardCharsets.UTF_8))) {
            JsonNode header = JSON.readTree(in.readLine());
            if (header == null || !FORMAT.equals(header.path("format").asString(""))) {
                return new ChainVerifier.Result(0, archive + " is not a driftwarden audit archive", java.util.List.of());
            }
            String expectedPrev = header.path("anchor").path("hash").asString();
            long previousSeq = header.path("anchor").path("seq").asLong();
            long rows = 0;
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode row = JSON.readTree(line);
                rows++;
                long seq = row.path("seq").asLong();
                AuditEntry entry = new AuditEntry(text(row, "run_id"), text(row, "run_trigger"), text(row, "binding_name"),
                        text(row, "source_url"), text(row, "commit_sha"), text(row, "cluster"), text(row, "namespace"),
                        text(row, "api_group"), text(row, "api_version"), text(row, "kind"), text(row, "name"),
                        EventType.valueOf(text(row, "event")), text(row, "drift_type"), text(row, "action"),
                        text(row, "changed_paths"), text(row, "masked_diff"), text(row, "error"),
                        new AuditEntry.Details(text(row, "changed_by"), text(row, "health_state"),
                                text(row, "health_message"), text(row, "exception_name"), text(row, "chart"),
                                text(row, "chart_digest")));
                String hash = text(row, "hash");
                if (!ChainHash.of(text(row, "prev_hash"), Instant.parse(text(row, "event_time")), entry).equals(hash)) {
                    return new ChainVerifier.Result(rows, "archived row seq " + seq + " was edited", java.util.List.of());
                }
                if (!text(row, "prev_hash").equals(expectedPrev)) {
                    return new ChainVerifier.Result(rows, "archived row seq " + seq + " does not follow " + (rows == 1 ? "the archive's anchor"
                            : "archived row seq " + previousSeq), java.util.List.of());
                }
                expectedPrev = hash;
                previousSeq = seq;
            }
            if (previousSeq != header.path("throughSeq").asLong()) {
                return new ChainVerifier.Result(rows, "the archive ends at seq " + previousSeq + ", its header says "
                        + header.path("throughSeq").asLong() + ": rows are missing", java.util.List.of());
            }
            return new ChainVerifier.Result(rows, null, java.util.List.of());
        } catch (IOException | RuntimeException e) {
            return new ChainVerifier.Result(0, "cannot read " + archive + ": " + e.getMessage(), java.util.List.of());
        }
    }

    private static String text(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
