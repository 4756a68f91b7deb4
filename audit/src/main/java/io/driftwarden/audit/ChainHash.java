package io.driftwarden.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The SHA-256 link of a row: over the previous row's hash and every stored field of this row, in column order, then
 * each present {@link AuditEntry.Details detail} as {@code column=value} (absent details add nothing, so rows from
 * before they existed hash as they did).
 */
final class ChainHash {

    /** The {@code prev_hash} of the first row. */
    static final String GENESIS = "0".repeat(64);

    private ChainHash() {
    }

    static String of(String prevHash, Instant time, AuditEntry e) {
        String[] fields = {
            prevHash, time.toString(), e.runId(), e.trigger(), e.binding(), e.sourceUrl(), e.commit(), e.cluster(),
            e.namespace(), e.group(), e.version(), e.kind(), e.name(), e.event().name(), e.driftType(), e.action(),
            e.changedPaths(), e.maskedDiff(), e.error()
        };
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String field : fields) {
                // length-prefixed, so ("ab","c") and ("a","bc") never hash alike; null differs from ""
                String value = field == null ? "-1:" : field.length() + ":" + field;
                digest.update(value.getBytes(StandardCharsets.UTF_8));
            }
            for (String[] detail : e.details().columns()) {
                if (detail[1] != null) {
                    String value = detail[0] + "=" + detail[1];
                    digest.update((value.length() + ":" + value).getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("SHA-256 is part of every JRE", missing);
        }
    }
}
