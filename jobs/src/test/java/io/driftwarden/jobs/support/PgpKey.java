package io.driftwarden.jobs.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/** A real OpenPGP key (Ed25519, made with BouncyCastle as GnuPG would) that signs as {@code git commit -S} does. */
public final class PgpKey {

    private final PGPKeyPair pair;
    private final PGPPublicKeyRing publicRing;

    public PgpKey(String userId) throws PGPException {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        pair = new BcPGPKeyPair(PublicKeyAlgorithmTags.EDDSA_LEGACY, generator.generateKeyPair(), new Date());
        PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
                new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), null, null,
                new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256), null);
        publicRing = rings.generatePublicKeyRing();
    }

    /** The key's id as driftwarden and GnuPG print it (16 hex digits). */
    public String keyId() {
        return java.util.HexFormat.of().withUpperCase().toHexDigits(pair.getKeyID());
    }

    /** An armored detached signature over {@code data}. */
    public byte[] sign(byte[] data) {
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256), pair.getPublicKey());
            generator.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
            generator.update(data);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = new ArmoredOutputStream(bytes)) {
                generator.generate().encode(armored);
            }
            return bytes.toByteArray();
        } catch (PGPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes an armored public keyring holding this key with a revocation signature, as {@code gpg --gen-revoke} makes. */
    public Path writeRevokedKeyring(Path file) throws Exception {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256), pair.getPublicKey());
        generator.init(PGPSignature.KEY_REVOCATION, pair.getPrivateKey());
        org.bouncycastle.openpgp.PGPPublicKey revoked = org.bouncycastle.openpgp.PGPPublicKey.addCertification(pair.getPublicKey(),
                generator.generateCertification(pair.getPublicKey()));
        PGPPublicKeyRing ring = PGPPublicKeyRing.insertPublicKey(publicRing, revoked);
        try (OutputStream out = Files.newOutputStream(file); ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            ring.encode(armored);
        }
        return file;
    }

    /** Writes an armored public keyring holding the given keys. */
    public static Path writeKeyring(Path file, PgpKey... keys) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            for (PgpKey key : keys) {
                key.publicRing.encode(armored);
            }
        }
        return file;
    }
}
