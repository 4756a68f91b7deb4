package io.driftwarden.audit.evidence;

import io.driftwarden.audit.AuditException;
import io.driftwarden.audit.ChainHead;
import io.driftwarden.audit.Ed25519;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seals and checks an evidence bundle: a folder of files and its {@code manifest.json} — the format, the tool's version,
 * the period, the audit chain's head (and the last row of the period), and the SHA-256 and size of every other file,
 * sorted by path — with {@code manifest.json.sig}, the base64 Ed25519 signature of the manifest's exact bytes. The same
 * files, period, chain and key give the same manifest and signature, byte for byte (Ed25519 is deterministic).
 */
public final class EvidenceBundle {

    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    /** The signature's file name. */
    public static final String SIGNATURE = "manifest.json.sig";
    static final String FORMAT = "driftwarden-evidence/1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EvidenceBundle() {
    }

    /** What the manifest says beside the files. {@code lastInPeriod} is the newest row before {@code until} (seq 0: none). */
    public record Facts(String toolVersion, Instant since, Instant until, ChainHead head, ChainHead lastInPeriod) {
    }

    /** The newest row written before {@code until} (the genesis when there is none): where the period ends in the chain. */
    public static ChainHead lastRowBefore(DataSource dataSource, Instant until) {
        String sql = "SELECT seq, hash FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event WHERE event_time < ?)";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, until.atOffset(ZoneOffset.UTC));
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? new ChainHead(rows.getLong(1), rows.getString(2)) : new ChainHead(0, "0".repeat(64));
            }
        } catch (SQLException e) {
            throw new AuditException("cannot read the chain at " + until + ": " + e.getMessage(), e);
        }
    }

    /**
     * The lines of a checkpoints file that cover {@code [since, until)}: those written in the period, the one before it
     * (the first one's {@code previousDigest} names it) and the first one after it (it signs the period's last rows).
     */
    public static List<String> checkpointsCovering(List<String> lines, Instant since, Instant until) {
        List<String> kept = new ArrayList<>();
        String before = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Instant time;
            try {
                time = Instant.parse(JSON.readTree(line).path("time").asString());
            } catch (JacksonException | java.time.format.DateTimeParseException e) {
                kept.add(line); // not ours to judge: audit verify --checkpoints says what is wrong with it
                continue;
            }
            if (time.isBefore(since)) {
                before = line;
            } else if (time.isBefore(until)) {
                if (before != null) {
                    kept.add(before);
                    before = null;
                }
                kept.add(line);
            } else {
                if (before != null) {
                    kept.add(before);
                    before = null;
                }
                kept.add(line);
                break;
            }
        }
        return kept;
    }

    /**
     * Writes {@code manifest.json} over every file in {@code dir} (but the manifest and its signature) and signs it;
     * returns the manifest's text.
     */
    public static String seal(Path dir, Facts facts, PrivateKey key) throws IOException {
        ObjectNode manifest = JSON.createObjectNode().put("format", FORMAT).put("tool", facts.toolVersion());
        manifest.putObject("period").put("since", facts.since().toString()).put("until", facts.until().toString());
        manifest.putObject("chain").put("headSeq", facts.head().seq()).put("headHash", facts.head().hash())
                .put("lastInPeriodSeq", facts.lastInPeriod().seq()).put("lastInPeriodHash", facts.lastInPeriod().hash());
        ArrayNode files = manifest.putArray("files");
        for (Map.Entry<String, Path> file : files(dir).entrySet()) {
            if (!Files.isRegularFile(file.getValue(), LinkOption.NOFOLLOW_LINKS)) {
                throw new AuditException(file.getValue() + " is not a regular file: an evidence bundle holds files only");
            }
            files.addObject().put("path", file.getKey()).put("sha256", sha256(file.getValue())).put("bytes", Files.size(file.getValue()));
        }
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(MANIFEST), bytes);
        Files.writeString(dir.resolve(SIGNATURE), Ed25519.sign(key, bytes, "the evidence manifest") + "\n", StandardCharsets.US_ASCII);
        return text;
    }

    /** What {@link #verify} found: {@code file} is the first file that does not match (null when all do). */
    public record Result(boolean ok, String file, String problem, int files) {

        static Result bad(String file, String problem) {
            return new Result(false, file, problem, 0);
        }
    }

    /**
     * Checks {@code dir} against its manifest: the signature over the manifest holds for {@code key}, and every file
     * the manifest lists is there with its SHA-256 and no other file is. The first problem, in path order, is named.
     */
    public static Result verify(Path dir, PublicKey key) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        Path signatureFile = dir.resolve(SIGNATURE);
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            return Result.bad(MANIFEST, "removed: the bundle has no manifest");
        }
        if (!Files.isRegularFile(signatureFile, LinkOption.NOFOLLOW_LINKS)) {
            return Result.bad(SIGNATURE, "removed: the manifest is not signed");
        }
        byte[] manifestBytes = Files.readAllBytes(manifestFile);
        if (!Ed25519.verifies(key, manifestBytes, Files.readString(signatureFile, StandardCharsets.US_ASCII))) {
            return Result.bad(MANIFEST, "the signature does not hold: the manifest or its signature was changed, or another key "
                    + "signed it");
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(manifestBytes);
        } catch (JacksonException e) {
            return Result.bad(MANIFEST, "not JSON: " + e.getOriginalMessage());
        }
        if (!FORMAT.equals(manifest.path("format").asString(null))) {
            return Result.bad(MANIFEST, "not a " + FORMAT + " manifest");
        }
        Map<String, JsonNode> listed = new TreeMap<>();
        for (JsonNode file : manifest.path("files")) {
            listed.put(file.path("path").asString(""), file);
        }
        Map<String, Path> present = files(dir);
        TreeSet<String> all = new TreeSet<>(listed.keySet());
        all.addAll(present.keySet());
        for (String name : all) {
            JsonNode entry = listed.get(name);
            Path file = present.get(name);
            if (entry == null) {
                return Result.bad(name, "added: the manifest does not list it");
            }
            if (file == null) {
                return Result.bad(name, "removed: the manifest lists it");
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return Result.bad(name, "not a regular file (a link or a folder where the manifest lists a file)");
            }
            if (!sha256(file).equals(entry.path("sha256").asString(""))) {
                return Result.bad(name, "edited: its SHA-256 differs from the manifest's");
            }
        }
        return new Result(true, null, null, listed.size());
    }

    /** Every entry under {@code dir} but the manifest and its signature, by its path relative to {@code dir} ('/'-separated). */
    private static Map<String, Path> files(Path dir) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String name = dir.relativize(path).toString().replace(java.io.File.separatorChar, '/');
                if (!name.equals(MANIFEST) && !name.equals(SIGNATURE)) {
                    files.put(name, path);
                }
            }
        }
        return files;
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
