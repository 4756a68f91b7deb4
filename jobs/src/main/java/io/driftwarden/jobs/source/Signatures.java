package io.driftwarden.jobs.source;

import io.driftwarden.jobs.pgp.Keyrings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * OpenPGP commit signatures, checked with BouncyCastle against a keyring the config names — never the machine's
 * GnuPG keys. A commit passes when its {@code gpgsig} header is a valid signature, by a key in the keyring that is
 * not revoked, over the commit without that header (what {@code git commit -S} signs).
 */
final class Signatures {

    private static final byte[] GPGSIG = {'g', 'p', 'g', 's', 'i', 'g'};

    private Signatures() {
    }

    /** The signer of {@code commit} (key id and user id); a {@link CommitRefusedException} says why it is not trusted. */
    static String verify(RevCommit commit, Path keyring) {
        byte[] signature = commit.getRawGpgSignature();
        if (signature == null) {
            throw new CommitRefusedException("commit " + commit.name() + " is not signed, and source requires a signature from a key in "
                    + keyring);
        }
        PGPPublicKeyRingCollection keys = keyring(keyring);
        PGPSignature sig = parse(commit, signature);
        PGPPublicKey key = keys.getPublicKey(sig.getKeyID());
        String keyId = HexFormat.of().withUpperCase().toHexDigits(sig.getKeyID());
        if (key == null) {
            throw new CommitRefusedException("commit " + commit.name() + " is signed by key " + keyId + ", which is not in " + keyring);
        }
        if (key.hasRevocation()) {
            throw new CommitRefusedException("commit " + commit.name() + " is signed by key " + keyId + ", which is revoked");
        }
        try {
            sig.init(new BcPGPContentVerifierBuilderProvider(), key);
            sig.update(signedData(commit.getRawBuffer()));
            if (!sig.verify()) {
                throw new CommitRefusedException("commit " + commit.name() + ": the signature by key " + keyId
                        + " does not match the commit (it was changed after signing)");
            }
        } catch (PGPException e) {
            throw new CommitRefusedException("commit " + commit.name() + ": the signature cannot be checked: " + e.getMessage());
        }
        return keyId + Keyrings.userId(keys, sig.getKeyID());
    }

    /** The commit as it was signed: its raw bytes without the {@code gpgsig} header and its continuation lines. */
    static byte[] signedData(byte[] raw) {
        int start = RawParseUtils.headerStart(GPGSIG, raw, 0);
        if (start < 0) {
            return raw;
        }
        int end = RawParseUtils.nextLfSkippingSplitLines(raw, start);
        if (end < raw.length && raw[end] == '\n') {
            end++;
        }
        start -= GPGSIG.length + 1;
        byte[] data = new byte[raw.length - (end - start)];
        System.arraycopy(raw, 0, data, 0, start);
        System.arraycopy(raw, end, data, start, raw.length - end);
        return data;
    }

    private static PGPSignature parse(RevCommit commit, byte[] signature) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
            Object object = new BcPGPObjectFactory(in).nextObject();
            if (object instanceof PGPCompressedData compressed) {
                object = new BcPGPObjectFactory(compressed.getDataStream()).nextObject();
            }
            if (object instanceof PGPSignatureList list && !list.isEmpty()) {
                return list.get(0);
            }
        } catch (IOException | PGPException | RuntimeException e) {
            throw new CommitRefusedException("commit " + commit.name() + " carries a signature that is not OpenPGP (" + e.getMessage() + ")");
        }
        throw new CommitRefusedException("commit " + commit.name() + " carries a signature that is not OpenPGP");
    }

    private static PGPPublicKeyRingCollection keyring(Path file) {
        try {
            return Keyrings.read(file);
        } catch (IOException | PGPException e) {
            throw new SourceException("cannot read the keyring " + file + ": " + e.getMessage(), e);
        }
    }
}
