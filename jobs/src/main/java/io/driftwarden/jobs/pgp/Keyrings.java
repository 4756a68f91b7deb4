package io.driftwarden.jobs.pgp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/** An armored or binary OpenPGP public keyring from a file, as commit signatures and chart provenance check against. */
public final class Keyrings {

    private Keyrings() {
    }

    /** The keyring in {@code file}; the caller says which config key named it when this throws. */
    public static PGPPublicKeyRingCollection read(Path file) throws IOException, PGPException {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            return new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
        }
    }

    /** {@code " (first user id)"} of the key {@code keyId} in {@code keys}, or "" when it has none. */
    public static String userId(PGPPublicKeyRingCollection keys, long keyId) {
        try {
            Iterator<String> ids = keys.getPublicKeyRing(keyId).getPublicKey().getUserIDs();
            return ids.hasNext() ? " (" + ids.next() + ")" : "";
        } catch (RuntimeException e) {
            return "";
        }
    }
}
