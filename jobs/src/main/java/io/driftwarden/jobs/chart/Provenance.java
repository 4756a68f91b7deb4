package io.driftwarden.jobs.chart;

import io.driftwarden.jobs.pgp.Keyrings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Helm's provenance file ({@code CHART.tgz.prov}): an OpenPGP clear-signed message whose text is the chart's
 * {@code Chart.yaml}, a {@code ...} line, and {@code files: {NAME.tgz: sha256:HEX}}. It verifies when the signature is
 * valid, by a key in the configured keyring that is not revoked, and the chart's own entry names the SHA-256 of the
 * archive fetched — so a tampered archive with an older valid {@code .prov} is refused. Checked with BouncyCastle, never
 * the machine's GnuPG.
 */
public final class Provenance {

    private static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";

    private Provenance() {
    }

    /**
     * The signer (key id and user id) when {@code prov} is a valid signature from {@code keyring} over a text naming
     * {@code chart} at {@code version} and {@code sha256} (hex) for {@code fileName}; else a {@link ChartRefusedException}
     * that says why ({@code what} names the chart).
     */
    public static String verify(byte[] prov, String fileName, String sha256, String chart, String version, Path keyring, String what) {
        String text = new String(prov, StandardCharsets.UTF_8).replace("\r\n", "\n");
        int begin = text.indexOf(BEGIN_MESSAGE);
        int signatureAt = text.indexOf("\n" + BEGIN_SIGNATURE);
        if (begin < 0 || signatureAt < 0) {
            throw new ChartRefusedException(what + ": the provenance file is not an OpenPGP clear-signed message");
        }
        int headersEnd = text.indexOf("\n\n", begin);
        if (headersEnd < 0 || headersEnd > signatureAt) {
            throw new ChartRefusedException(what + ": the provenance file's signed message has no body");
        }
        String body = signedText(text.substring(headersEnd + 2, signatureAt));
        PGPSignature signature = signature(text.substring(signatureAt + 1), what);
        PGPPublicKeyRingCollection keys = keyring(keyring);
        String keyId = HexFormat.of().withUpperCase().toHexDigits(signature.getKeyID());
        PGPPublicKey key = keys.getPublicKey(signature.getKeyID());
        if (key == null) {
            throw new ChartRefusedException(what + ": the provenance is signed by key " + keyId + ", which is not in the keyring " + keyring);
        }
        if (key.hasRevocation()) {
            throw new ChartRefusedException(what + ": the provenance is signed by key " + keyId + ", which is revoked");
        }
        try {
            signature.init(new BcPGPContentVerifierBuilderProvider(), key);
            signature.update(body.getBytes(StandardCharsets.UTF_8));
            if (!signature.verify()) {
                throw new ChartRefusedException(what + ": the provenance signature by key " + keyId + " does not match its text "
                        + "(it was changed after signing)");
            }
        } catch (PGPException e) {
            throw new ChartRefusedException(what + ": the provenance signature cannot be checked: " + e.getMessage());
        }
        checkBody(body, fileName, sha256, chart, version, what);
        return keyId + Keyrings.userId(keys, signature.getKeyID());
    }

    /**
     * The clear-signed text as it was signed (RFC 4880 7.1): dash-escapes removed, trailing spaces and tabs of each line
     * dropped, lines joined by CRLF, without the line break before the signature.
     */
    static String signedText(String cleartext) {
        List<String> lines = new ArrayList<>();
        for (String line : cleartext.split("\n", -1)) {
            String unescaped = line.startsWith("- ") ? line.substring(2) : line;
            lines.add(unescaped.replaceAll("[ \t]+$", ""));
        }
        return String.join("\r\n", lines);
    }

    /** The chart's name and version in the signed Chart.yaml, and its file's digest in {@code files}, as expected. */
    private static void checkBody(String body, String fileName, String sha256, String chart, String version, String what) {
        String[] parts = body.replace("\r\n", "\n").split("\n\\.\\.\\.\n", 2);
        if (parts.length != 2) {
            throw new ChartRefusedException(what + ": the provenance text is not Helm's (Chart.yaml, '...', files)");
        }
        Map<?, ?> metadata = yamlMap(parts[0], what);
        Map<?, ?> files = yamlMap(parts[1], what).get("files") instanceof Map<?, ?> map ? map : Map.of();
        if (!chart.equals(String.valueOf(metadata.get("name"))) || !version.equals(String.valueOf(metadata.get("version")))) {
            throw new ChartRefusedException(what + ": the provenance is for " + metadata.get("name") + " " + metadata.get("version")
                    + ", not " + chart + " " + version);
        }
        Object signed = files.get(fileName);
        if (signed == null) {
            throw new ChartRefusedException(what + ": the provenance names no digest for " + fileName + " (it lists " + files.keySet() + ")");
        }
        if (!("sha256:" + sha256).equals(String.valueOf(signed))) {
            throw new ChartRefusedException(what + ": the archive's digest sha256:" + sha256 + " is not the signed " + signed
                    + " (the archive was changed after signing)");
        }
    }

    private static Map<?, ?> yamlMap(String yaml, String what) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(1 << 20);
        try {
            Object loaded = new Yaml(new SafeConstructor(options)).load(yaml);
            return loaded instanceof Map<?, ?> map ? map : Map.of();
        } catch (RuntimeException e) {
            throw new ChartRefusedException(what + ": the provenance text does not parse: " + e.getMessage());
        }
    }

    private static PGPSignature signature(String armored, String what) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.UTF_8)))) {
            Object object = new BcPGPObjectFactory(in).nextObject();
            if (object instanceof PGPSignatureList list && !list.isEmpty()) {
                return list.get(0);
            }
        } catch (IOException | RuntimeException e) {
            throw new ChartRefusedException(what + ": the provenance signature is not OpenPGP (" + e.getMessage() + ")");
        }
        throw new ChartRefusedException(what + ": the provenance holds no OpenPGP signature");
    }

    private static PGPPublicKeyRingCollection keyring(Path file) {
        try {
            return Keyrings.read(file);
        } catch (IOException | PGPException e) {
            throw new ChartException("cannot read the keyring " + file + " (helm.verify.keyring): " + e.getMessage(), e);
        }
    }
}
