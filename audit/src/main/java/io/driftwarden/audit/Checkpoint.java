package io.driftwarden.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One signed checkpoint of the audit chain, one JSON line of the checkpoints file: the chain's newest row
 * ({@code seq}, {@code hash}) and the anchor a prune left ({@code anchorSeq}, {@code anchorHash}; 0 and the genesis hash
 * before any prune), when and why it was written ({@code run}, {@code prune}, {@code manual}; the run's id), the digest
 * of the line before it ({@code previousDigest}, the genesis hash for the first line), and an Ed25519 signature over
 * all of that ({@link #payload()}).
 */
public record Checkpoint(long seq, String hash, long anchorSeq, String anchorHash, Instant time, String runId, String reason,
                         String previousDigest, String signature) {

    static final String FORMAT = "driftwarden-checkpoint/1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The bytes the signature covers: every field but the signature, length-prefixed, in a fixed order. */
    byte[] payload() {
        StringBuilder text = new StringBuilder();
        for (String field : new String[] {FORMAT, String.valueOf(seq), hash, String.valueOf(anchorSeq), anchorHash, time.toString(), runId,
            reason, previousDigest}) {
            text.append(field == null ? "-1:" : field.length() + ":" + field).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    Checkpoint signed(String signature) {
        return new Checkpoint(seq, hash, anchorSeq, anchorHash, time, runId, reason, previousDigest, signature);
    }

    /** The line as written to the file (no newline). */
    public String line() {
        return JSON.writeValueAsString(json());
    }

    /** The checkpoint as a JSON object, the form the run's summary prints. */
    public ObjectNode json() {
        ObjectNode node = JSON.createObjectNode().put("format", FORMAT).put("seq", seq).put("hash", hash)
                .put("anchorSeq", anchorSeq).put("anchorHash", anchorHash).put("time", time.toString()).put("runId", runId)
                .put("reason", reason).put("previousDigest", previousDigest).put("signature", signature);
        return node;
    }

    /** The digest the next checkpoint names: SHA-256 of this line's UTF-8 bytes, as written. */
    public String digest() {
        return digest(line());
    }

    static String digest(String line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("SHA-256 is part of every JRE", missing);
        }
    }

    /** Reads one line; anything that is not a checkpoint of this format is an {@link IllegalArgumentException}. */
    static Checkpoint parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null || !FORMAT.equals(node.path("format").asString(""))) {
            throw new IllegalArgumentException("not a " + FORMAT + " line");
        }
        for (String field : new String[] {"seq", "hash", "anchorSeq", "anchorHash", "time", "reason", "previousDigest", "signature"}) {
            if (node.path(field).isMissingNode() || node.path(field).isNull()) {
                throw new IllegalArgumentException("no " + field);
            }
        }
        try {
            return new Checkpoint(node.get("seq").asLong(), node.get("hash").asString(), node.get("anchorSeq").asLong(),
                    node.get("anchorHash").asString(), Instant.parse(node.get("time").asString()),
                    node.path("runId").isNull() || node.path("runId").isMissingNode() ? null : node.get("runId").asString(),
                    node.get("reason").asString(), node.get("previousDigest").asString(), node.get("signature").asString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a field does not parse: " + e.getMessage());
        }
    }

    /** How a report names this checkpoint: its line in the file, why it was written, and the row it signs. */
    String describe(int lineNumber) {
        return "checkpoint line " + lineNumber + " (" + reason + (runId == null ? "" : " " + runId) + ", " + time
                + ", head seq " + seq + ")";
    }
}
