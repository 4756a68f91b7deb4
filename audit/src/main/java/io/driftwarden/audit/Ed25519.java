package io.driftwarden.audit;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys from PEM and signatures with the JDK's own provider: what signed checkpoints and evidence bundles share.
 * Signatures are base64 text; Ed25519 is deterministic, so the same key and bytes give the same signature.
 */
public final class Ed25519 {

    private Ed25519() {
    }

    /** An Ed25519 private key from PEM ({@code BEGIN PRIVATE KEY}, PKCS#8, as {@code openssl genpkey -algorithm ed25519} writes). */
    public static PrivateKey privateKey(String pem, String where) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY", where)));
        } catch (GeneralSecurityException e) {
            throw new AuditException(where + " is not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** An Ed25519 public key from PEM ({@code BEGIN PUBLIC KEY}, X.509, as {@code openssl pkey -pubout} writes). */
    public static PublicKey publicKey(String pem, String where) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY", where)));
        } catch (GeneralSecurityException e) {
            throw new AuditException(where + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The base64 signature of {@code payload}; {@code what} names what is signed in an error. */
    public static String sign(PrivateKey key, byte[] payload, String what) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(payload);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new AuditException("cannot sign " + what + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} (base64) is {@code key}'s over {@code payload}; malformed input is simply false. */
    public static boolean verifies(PublicKey key, byte[] payload, String signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(Base64.getDecoder().decode(signature.strip()));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    private static byte[] der(String pem, String type, String where) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new AuditException(where + " holds no PEM block '" + begin + "'");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new AuditException(where + ": the PEM block is not base64: " + e.getMessage(), e);
        }
    }
}
