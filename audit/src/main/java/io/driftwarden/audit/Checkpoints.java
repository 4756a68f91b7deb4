package io.driftwarden.audit;

import io.driftwarden.config.CheckpointSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signed checkpoints: proof of the audit chain kept outside its database. A checkpoint signs (Ed25519) the chain's
 * newest row and its anchor and names the checkpoint before it by digest, so the checkpoints form a chain of their own
 * (as CloudTrail's digest files do). {@link #verify} checks that chain and its signatures, then that the database
 * still holds every row a checkpoint signed: a tail rewritten with its head and run tables, an anchor forged after a
 * prune, or a truncated table contradicts a checkpoint. Whoever holds the signing key can sign a forged state; the
 * public key is all {@code verify} needs.
 */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PRUNED = "pruned";
    /** Threads of one process (the daemon's bindings) queue here: a file lock is per process, and a second one throws. */
    private static final Object IN_PROCESS = new Object();

    private Checkpoints() {
    }

    /**
     * After a run: writes a checkpoint when checkpoints are configured and the chain moved since the file's last one
     * (the run, or anything else, appended or pruned rows); {@code null} otherwise.
     */
    public static Checkpoint afterRun(CheckpointSettings settings, AuditLog audit, String runId, Clock clock) {
        return settings == null ? null : write(settings, audit, runId, "run", clock, false);
    }

    /** After a prune that removed rows: writes a checkpoint with the new anchor ({@code null} when not configured). */
    public static Checkpoint afterPrune(CheckpointSettings settings, AuditLog audit, Clock clock) {
        return settings == null ? null : write(settings, audit, null, "prune", clock, true);
    }

    /** On demand ({@code audit checkpoint}): always writes one. */
    public static Checkpoint now(CheckpointSettings settings, AuditLog audit, Clock clock) {
        return write(settings, audit, null, "manual", clock, true);
    }

    /**
     * Appends a checkpoint of the chain as it is now to the settings' file, under an exclusive lock on the file (a daemon
     * and a CronJob may finish at once), synced to disk before returning. Unless {@code always}, nothing is written
     * when the file's last checkpoint already signs this head and anchor.
     */
    static Checkpoint write(CheckpointSettings settings, AuditLog audit, String runId, String reason, Clock clock, boolean always) {
        PrivateKey key = privateKey(settings.signingKey().resolve(), settings.signingKey().toString());
        Path file = settings.file();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            synchronized (IN_PROCESS) {
                return append(file, key, audit, runId, reason, clock, always);
            }
        } catch (IOException e) {
            throw new AuditException("cannot write a checkpoint to " + file + ": " + e.getMessage(), e);
        }
    }

    private static Checkpoint append(Path file, PrivateKey key, AuditLog audit, String runId, String reason, Clock clock, boolean always)
            throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw"); FileLock lock = out.getChannel().lock()) {
            String last = lastLine(out);
            Checkpoint previous = null;
            if (last != null) {
                try {
                    previous = Checkpoint.parse(last);
                } catch (IllegalArgumentException e) {
                    throw new AuditException("the last line of " + file + " is not a checkpoint (" + e.getMessage()
                            + "): not chaining onto it; audit verify --checkpoints says what is wrong");
                }
            }
            ChainState state = state(audit.dataSource());
            if (!always && previous != null && previous.seq() == state.head().seq() && previous.hash().equals(state.head().hash())
                    && previous.anchorSeq() == state.anchor().seq() && previous.anchorHash().equals(state.anchor().hash())) {
                return null;
            }
            Checkpoint unsigned = new Checkpoint(state.head().seq(), state.head().hash(), state.anchor().seq(), state.anchor().hash(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), runId, reason,
                    last == null ? ChainHash.GENESIS : Checkpoint.digest(last), null);
            Checkpoint checkpoint = unsigned.signed(sign(key, unsigned.payload()));
            out.seek(out.length());
            out.write((checkpoint.line() + "\n").getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
            LOG.info("checkpoint {}", checkpoint.line());
            return checkpoint;
        }
    }

    /** The chain's newest row (the anchor when the table is empty) and the anchor, read in one transaction. */
    private record ChainState(ChainHead head, ChainHead anchor) {
    }

    private static ChainState state(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                ChainHead anchor = Retention.anchor(connection);
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT seq, hash FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event)");
                     ResultSet rows = query.executeQuery()) {
                    return new ChainState(rows.next() ? new ChainHead(rows.getLong(1), rows.getString(2)) : anchor, anchor);
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new AuditException("cannot read the chain head for a checkpoint: " + e.getMessage(), e);
        }
    }

    /** The file's last line (without its newline), or {@code null} for an empty file; read backwards from the end. */
    private static String lastLine(RandomAccessFile file) throws IOException {
        long end = file.length();
        while (end > 0) {
            file.seek(end - 1);
            if (file.read() != '\n') {
                break;
            }
            end--;
        }
        if (end == 0) {
            return null;
        }
        long start = end;
        byte[] one = new byte[1];
        while (start > 0) {
            file.seek(start - 1);
            file.readFully(one);
            if (one[0] == '\n') {
                break;
            }
            start--;
        }
        byte[] line = new byte[(int) (end - start)];
        file.seek(start);
        file.readFully(line);
        return new String(line, StandardCharsets.UTF_8);
    }

    /** What {@link #verify} found: how many checkpoints, the first contradiction ({@code null}: none), and notes. */
    public record Result(int checkpoints, String problem, List<String> notes) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Checks the checkpoints file against {@code publicKey} and the store: every line parses, is signed by the key and
     * names the line before it (the first names the genesis hash); heads and anchors never go back; then the store's
     * anchor is the one the last checkpoint signed, and every row a checkpoint signed is still in the store with the hash
     * it signed. Rows pruned into archives are checked in {@code archives} when given (which must then chain from the
     * genesis hash to the store's anchor); otherwise the signed prune stands for them.
     */
    public static Result verify(Path file, PublicKey publicKey, DataSource dataSource, List<Path> archives) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Result(0, "cannot read " + file + ": " + e.getMessage(), List.of());
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        String expectedPrevious = ChainHash.GENESIS;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int number = i + 1;
            if (line.isBlank()) {
                return new Result(checkpoints.size(), "checkpoint line " + number + " is empty: the file was edited", List.of());
            }
            Checkpoint checkpoint;
            try {
                checkpoint = Checkpoint.parse(line);
            } catch (IllegalArgumentException e) {
                return new Result(checkpoints.size(), "checkpoint line " + number + " is not a checkpoint: " + e.getMessage(), List.of());
            }
            if (!verifies(publicKey, checkpoint)) {
                return new Result(checkpoints.size(), checkpoint.describe(number) + " has a bad signature: it was edited, or not signed "
                        + "by the key whose public half was given", List.of());
            }
            if (!checkpoint.previousDigest().equals(expectedPrevious)) {
                return new Result(checkpoints.size(), checkpoint.describe(number) + (number == 1
                        ? " does not start the checkpoint chain (it names a checkpoint before it): the oldest checkpoints were removed"
                        : " does not name checkpoint line " + (number - 1) + " as its predecessor: a checkpoint was removed, inserted or "
                                + "reordered here"), List.of());
            }
            if (!checkpoints.isEmpty()) {
                Checkpoint before = checkpoints.get(checkpoints.size() - 1);
                if (checkpoint.seq() < before.seq() || checkpoint.anchorSeq() < before.anchorSeq()) {
                    return new Result(checkpoints.size(), checkpoint.describe(number) + " goes back from checkpoint line " + (number - 1)
                            + " (head seq " + before.seq() + ", anchor seq " + before.anchorSeq() + "): the chain it signs was rewound",
                            List.of());
                }
            }
            checkpoints.add(checkpoint);
            expectedPrevious = Checkpoint.digest(line);
        }
        if (checkpoints.isEmpty()) {
            return new Result(0, file + " holds no checkpoint", List.of());
        }
        try {
            return againstStore(checkpoints, dataSource, archives);
        } catch (SQLException e) {
            throw new AuditException("cannot read the audit store to check checkpoints: " + e.getMessage(), e);
        }
    }

    private static Result againstStore(List<Checkpoint> checkpoints, DataSource dataSource, List<Path> archives) throws SQLException {
        List<String> notes = new ArrayList<>();
        Map<Long, String> archived = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                ChainHead anchor = Retention.anchor(connection);
                if (!archives.isEmpty()) {
                    Set<Long> wanted = new HashSet<>();
                    checkpoints.forEach(c -> {
                        wanted.add(c.seq());
                        wanted.add(c.anchorSeq());
                    });
                    String problem = readArchives(archives, anchor, wanted, archived);
                    if (problem != null) {
                        return new Result(checkpoints.size(), problem, notes);
                    }
                }
                int pruned = 0;
                try (PreparedStatement row = connection.prepareStatement("SELECT hash FROM audit_event WHERE seq = ?")) {
                    for (int i = 0; i < checkpoints.size(); i++) {
                        Checkpoint checkpoint = checkpoints.get(i);
                        String head = checkHash(row, anchor, archived, checkpoint.seq(), checkpoint.hash());
                        String anchored = checkpoint.anchorSeq() == 0 ? null
                                : checkHash(row, anchor, archived, checkpoint.anchorSeq(), checkpoint.anchorHash());
                        String what = contradiction(head) != null ? head : contradiction(anchored);
                        if (what != null) {
                            return new Result(checkpoints.size(), checkpoint.describe(i + 1) + " is contradicted: " + what, notes);
                        }
                        if (PRUNED.equals(head) || PRUNED.equals(anchored)) {
                            pruned++;
                        }
                    }
                }
                Checkpoint last = checkpoints.get(checkpoints.size() - 1);
                if (anchor.seq() != last.anchorSeq() || !anchor.hash().equals(last.anchorHash())) {
                    int signer = 0;
                    while (checkpoints.get(signer).anchorSeq() != last.anchorSeq()) {
                        signer++;
                    }
                    return new Result(checkpoints.size(), checkpoints.get(signer).describe(signer + 1) + " is contradicted: the store's "
                            + "anchor says the rows through seq " + anchor.seq() + " were pruned, but the last signed prune left the anchor at "
                            + "seq " + last.anchorSeq() + (anchor.seq() > last.anchorSeq() ? ": rows were deleted without a signed prune and "
                            + "the anchor forged" : ": the anchor was rewritten"), notes);
                }
                if (pruned > 0) {
                    notes.add(pruned + " checkpoint(s) sign rows pruned before seq " + anchor.seq() + "; the signed prune stands for them"
                            + " (give the archives with --archive to check them row by row)");
                }
                try (PreparedStatement after = connection.prepareStatement("SELECT COUNT(*) FROM audit_event WHERE seq > ?")) {
                    after.setLong(1, last.seq());
                    try (ResultSet rows = after.executeQuery()) {
                        rows.next();
                        if (rows.getLong(1) > 0) {
                            notes.add(rows.getLong(1) + " row(s) after the last checkpoint (seq " + last.seq() + ") are not signed yet: the "
                                    + "next run's checkpoint or audit checkpoint signs them");
                        }
                    }
                }
                return new Result(checkpoints.size(), null, notes);
            } finally {
                connection.rollback();
            }
        }
    }

    private static String contradiction(String found) {
        return found == null || PRUNED.equals(found) ? null : found;
    }

    /**
     * Whether row {@code seq} has {@code hash}: {@code null} when it does, {@code "pruned"} when the row was pruned and no
     * archive holds it, else what is wrong.
     */
    private static String checkHash(PreparedStatement row, ChainHead anchor, Map<Long, String> archived, long seq, String hash)
            throws SQLException {
        if (seq == 0) {
            return ChainHash.GENESIS.equals(hash) ? null : "the empty chain has the genesis hash, not " + shortHash(hash);
        }
        String found;
        String where;
        if (seq < anchor.seq() || seq == anchor.seq() && archived.containsKey(seq)) {
            if (!archived.containsKey(seq)) {
                return PRUNED;
            }
            found = archived.get(seq);
            where = "archived row seq " + seq;
        } else if (seq == anchor.seq()) {
            found = anchor.hash();
            where = "the store's anchor (row seq " + seq + ")";
        } else {
            row.setLong(1, seq);
            try (ResultSet rows = row.executeQuery()) {
                if (!rows.next()) {
                    return "row seq " + seq + " is no longer in the store: rows were deleted or the table truncated";
                }
                found = rows.getString(1);
            }
            where = "row seq " + seq;
        }
        return hash.equals(found) ? null : where + " now has hash " + shortHash(found) + ", the checkpoint signed " + shortHash(hash)
                + ": the chain was rewritten up to there";
    }

    /**
     * Reads the archives (each verified on its own), checks that they chain from the genesis hash to the store's anchor,
     * and collects the hashes of the {@code wanted} rows; returns a problem, or {@code null}.
     */
    private static String readArchives(List<Path> archives, ChainHead anchor, Set<Long> wanted, Map<Long, String> archived) {
        record Span(Path file, ChainHead from, ChainHead through) {
        }
        List<Span> spans = new ArrayList<>();
        for (Path archive : archives) {
            ChainVerifier.Result alone = Retention.verifyArchive(archive);
            if (alone.problem() != null) {
                return alone.problem() + " (" + archive + ")";
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(archive)),
                    StandardCharsets.UTF_8))) {
                JsonNode header = JSON.readTree(in.readLine());
                ChainHead from = new ChainHead(header.path("anchor").path("seq").asLong(), header.path("anchor").path("hash").asString());
                ChainHead through = from;
                String line;
                while ((line = in.readLine()) != null) {
                    JsonNode row = JSON.readTree(line);
                    through = new ChainHead(row.path("seq").asLong(), row.path("hash").asString());
                    if (wanted.contains(through.seq())) {
                        archived.put(through.seq(), through.hash());
                    }
                }
                spans.add(new Span(archive, from, through));
            } catch (IOException | RuntimeException e) {
                return "cannot read " + archive + ": " + e.getMessage();
            }
        }
        spans.sort(Comparator.comparingLong(s -> s.from().seq()));
        ChainHead expected = new ChainHead(0, ChainHash.GENESIS);
        for (Span span : spans) {
            if (!span.from().equals(expected)) {
                return "archive " + span.file() + " starts after seq " + span.from().seq() + ", the archives before it end at seq "
                        + expected.seq() + (span.from().seq() == expected.seq() ? " with another hash" : "") + ": an archive is missing or forged";
            }
            expected = span.through();
        }
        if (!expected.equals(anchor)) {
            return "the archives end at seq " + expected.seq() + ", the store's anchor is seq " + anchor.seq()
                    + (expected.seq() == anchor.seq() ? " with another hash" : "") + ": an archive is missing, or the anchor was forged";
        }
        return null;
    }

    private static String shortHash(String hash) {
        return hash == null ? "(none)" : hash.substring(0, Math.min(12, hash.length())) + "…";
    }

    private static String sign(PrivateKey key, byte[] payload) {
        return Ed25519.sign(key, payload, "a checkpoint");
    }

    private static boolean verifies(PublicKey key, Checkpoint checkpoint) {
        return checkpoint.signature() != null && Ed25519.verifies(key, checkpoint.payload(), checkpoint.signature());
    }

    /** An Ed25519 private key from PEM; see {@link Ed25519#privateKey}. */
    public static PrivateKey privateKey(String pem, String where) {
        return Ed25519.privateKey(pem, where);
    }

    /** An Ed25519 public key from PEM; see {@link Ed25519#publicKey}. */
    public static PublicKey publicKey(String pem, String where) {
        return Ed25519.publicKey(pem, where);
    }
}
