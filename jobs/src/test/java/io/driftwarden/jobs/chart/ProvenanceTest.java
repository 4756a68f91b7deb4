package io.driftwarden.jobs.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwarden.jobs.support.HelmCharts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Helm's provenance as {@code helm package --sign} writes it (Helm's own code, an RSA key made with BouncyCastle),
 * verified and then altered one way a row: every alteration is refused with its reason.
 */
class ProvenanceTest {

    @TempDir
    static Path tmp;

    private static HelmCharts.Signer signer;
    private static HelmCharts.Signer stranger;
    private static byte[] prov;
    private static String sha256;

    @BeforeAll
    static void sign() throws Exception {
        signer = HelmCharts.Signer.generate(tmp.resolve("signer"), "Chart Signer <charts@example.com>");
        stranger = HelmCharts.Signer.generate(tmp.resolve("stranger"), "Someone Else <else@example.com>");
        Path archive = HelmCharts.packageSigned(HelmCharts.create(tmp.resolve("src"), "web", "1.0.0", "x"), tmp.resolve("dist"), "web",
                "1.0.0", signer);
        prov = Files.readAllBytes(archive.resolveSibling("web-1.0.0.tgz.prov"));
        sha256 = ChartCache.sha256(Files.readAllBytes(archive));
    }

    @Test
    void theProvenanceHelmWroteVerifiesAndNamesItsSigner() {
        String signed = Provenance.verify(prov, "web-1.0.0.tgz", sha256, "web", "1.0.0", signer.publicKeyring(), "web 1.0.0");

        assertThat(signed).endsWith("(Chart Signer <charts@example.com>)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a byte of the signed text changed      | text         | does not match its text (it was changed after signing)
            the archive is another one             | archive      | is not the signed sha256:
            the chart is another one               | chart        | the provenance is for web 1.0.0, not api 1.0.0
            another version                        | version      | the provenance is for web 1.0.0, not web 2.0.0
            another file name                      | file         | names no digest for web-2.0.0.tgz
            signed by a key not in the keyring     | keyring      | which is not in the keyring
            no signature block                     | unsigned     | is not an OpenPGP clear-signed message
            a signature that is not OpenPGP        | garbage      | the provenance signature is not OpenPGP
            """)
    void eachAlterationIsRefusedWithItsReason(String threat, String alteration, String expected) {
        String text = new String(prov, StandardCharsets.UTF_8);
        UnaryOperator<String> edit = switch (alteration) {
            case "text" -> t -> t.replaceFirst("description: ", "description: X");
            case "unsigned" -> t -> t.substring(0, t.indexOf("-----BEGIN PGP SIGNATURE-----"));
            case "garbage" -> t -> t.substring(0, t.indexOf("-----BEGIN PGP SIGNATURE-----"))
                    + "-----BEGIN PGP SIGNATURE-----\n\nbm90IGEgc2lnbmF0dXJl\n-----END PGP SIGNATURE-----\n";
            default -> t -> t;
        };
        byte[] altered = edit.apply(text).getBytes(StandardCharsets.UTF_8);
        String digest = alteration.equals("archive") ? "0".repeat(64) : sha256;
        String chart = alteration.equals("chart") ? "api" : "web";
        String version = alteration.equals("version") ? "2.0.0" : "1.0.0";
        String file = alteration.equals("file") ? "web-2.0.0.tgz" : "web-1.0.0.tgz";
        Path keyring = alteration.equals("keyring") ? stranger.publicKeyring() : signer.publicKeyring();

        assertThatThrownBy(() -> Provenance.verify(altered, file, digest, chart, version, keyring, "web 1.0.0"))
                .isInstanceOf(ChartRefusedException.class).hasMessageStartingWith("web 1.0.0: ").hasMessageContaining(expected);
    }
}
