package io.driftwarden.jobs.support;

import com.marcnuri.helm.Helm;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Date;
import java.util.stream.Stream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * Charts made and packaged by Helm's own code (helm-java {@code create} and {@code package}), and signed by it
 * ({@code package --sign}) with an RSA key made here with BouncyCastle and written as a GnuPG secret keyring.
 */
public final class HelmCharts {

    private HelmCharts() {
    }

    /**
     * {@code helm create NAME} in {@code dir}, at {@code version}, without its test hook (which {@code helm template}
     * would render as a Pod) and with {@code marker} in a ConfigMap of its own, so versions render differently.
     */
    public static Path create(Path dir, String name, String version, String marker) throws Exception {
        Files.createDirectories(dir);
        Helm.create().withName(name).withDir(dir).call();
        Path chart = dir.resolve(name);
        deleteTree(chart.resolve("templates/tests"));
        Path chartYaml = chart.resolve("Chart.yaml");
        Files.writeString(chartYaml, Files.readString(chartYaml).replaceFirst("(?m)^version: .*$", "version: " + version));
        Files.writeString(chart.resolve("templates/marker.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ include "%s.fullname" . }}-marker
                data:
                  marker: %s
                """.formatted(name, marker));
        return chart;
    }

    /** {@code helm package CHART -d DEST}: the archive Helm wrote ({@code NAME-VERSION.tgz}). */
    public static Path packageChart(Path chart, Path dest, String name, String version) throws Exception {
        Files.createDirectories(dest);
        new Helm(chart).packageIt().withDestination(dest).call();
        return dest.resolve(name + "-" + version + ".tgz");
    }

    /** {@code helm package --sign --key USER --keyring SECRING}: the archive, with its {@code .prov} beside it. */
    public static Path packageSigned(Path chart, Path dest, String name, String version, Signer signer) throws Exception {
        Files.createDirectories(dest);
        new Helm(chart).packageIt().withDestination(dest).sign().withKey(signer.userId()).withKeyring(signer.secretKeyring()).call();
        return dest.resolve(name + "-" + version + ".tgz");
    }

    /** Rewrites the archive with {@code extra} appended to its {@code Chart.yaml} (what a hand-made archive is). */
    public static Path appendToChartYaml(Path archive, String extra) throws Exception {
        return rewrite(archive, (name, content) -> name.endsWith("/Chart.yaml") && name.indexOf('/') == name.lastIndexOf('/')
                ? content + extra : content);
    }

    /**
     * Rewrites the archive entry by entry: {@code edit} gets each file's name and text and returns its new text, or null
     * to leave it out.
     */
    public static Path rewrite(Path archive, java.util.function.BinaryOperator<String> edit) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.util.zip.GZIPInputStream(Files.newInputStream(archive)));
             var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(bytes))) {
            out.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            org.apache.commons.compress.archivers.tar.TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                byte[] original = in.readAllBytes();
                String edited = entry.getName().endsWith(".tgz") ? (edit.apply(entry.getName(), "") == null ? null : "")
                        : edit.apply(entry.getName(), new String(original, java.nio.charset.StandardCharsets.UTF_8));
                if (edited == null) {
                    continue;
                }
                byte[] content = entry.getName().endsWith(".tgz") ? original : edited.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                var copy = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(entry.getName());
                copy.setSize(content.length);
                out.putArchiveEntry(copy);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
        Files.write(archive, bytes.toByteArray());
        return archive;
    }

    /** An RSA signing key: its secret keyring (binary, as GnuPG 1 and Helm read it) and its armored public keyring. */
    public record Signer(String userId, Path secretKeyring, Path publicKeyring) {

        public static Signer generate(Path dir, String userId) throws Exception {
            RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
            generator.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 80));
            PGPKeyPair pair = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, generator.generateKeyPair(), new Date());
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), null, null,
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), null);
            Files.createDirectories(dir);
            Path secret = dir.resolve("secring.gpg");
            try (OutputStream out = Files.newOutputStream(secret)) {
                rings.generateSecretKeyRing().encode(out);
            }
            Path pub = dir.resolve("pubring.asc");
            try (OutputStream out = Files.newOutputStream(pub); ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
                rings.generatePublicKeyRing().encode(armored);
            }
            return new Signer(userId, secret, pub);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
