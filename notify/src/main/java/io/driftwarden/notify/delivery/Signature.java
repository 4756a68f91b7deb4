package io.driftwarden.notify.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Signature} header of a signed body, as Flux's generic-hmac provider sends it: {@code sha256=} and the
 * lower-case hex HMAC-SHA256 of the exact body bytes under the shared key. A receiver recomputes it over the bytes it
 * got and compares in constant time.
 */
public final class Signature {

    /** The header's name. */
    public static final String HEADER = "X-Signature";

    private Signature() {
    }

    public static String of(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Whether {@code header} is the signature of {@code body} under {@code key}, compared in constant time. */
    public static boolean verifies(String key, byte[] body, String header) {
        return header != null && java.security.MessageDigest.isEqual(of(key, body).getBytes(StandardCharsets.US_ASCII),
                header.getBytes(StandardCharsets.US_ASCII));
    }
}
