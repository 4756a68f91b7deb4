package io.driftwarden.audit.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.ChainHead;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A sealed bundle verifies; any edited, added or removed file, or a signature that does not hold, is named. */
class EvidenceBundleTest {

    private static final KeyPair KEYS = keys();
    private static final KeyPair OTHER = keys();
    private static final EvidenceBundle.Facts FACTS = new EvidenceBundle.Facts("0.1.0 (abc1234)", Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2026-11-08T00:00:00Z"), new ChainHead(42, "a".repeat(64)), new ChainHead(40, "b".repeat(64)));

    @TempDir
    Path tmp;

    /** A change made to a sealed bundle. */
    @FunctionalInterface
    interface Tamper {
        void apply(Path dir) throws IOException;
    }

    static Stream<Arguments> tampering() {
        return Stream.of(
                Arguments.of("nothing changed", (Tamper) dir -> { }, null, null),
                Arguments.of("a report edited", (Tamper) dir -> Files.writeString(dir.resolve("report.csv"), "seq\n"),
                        "report.csv", "edited: its SHA-256 differs from the manifest's"),
                Arguments.of("one byte appended to a nested file", (Tamper) dir -> Files.writeString(dir.resolve("checkpoints/checkpoints.jsonl"),
                        " ", java.nio.file.StandardOpenOption.APPEND), "checkpoints/checkpoints.jsonl", "edited: its SHA-256 differs from the manifest's"),
                Arguments.of("a file added", (Tamper) dir -> Files.writeString(dir.resolve("extra.txt"), "x"),
                        "extra.txt", "added: the manifest does not list it"),
                Arguments.of("a file added in a new folder", (Tamper) dir -> Files.writeString(Files.createDirectories(dir.resolve("a"))
                        .resolve("b.json"), "{}"), "a/b.json", "added: the manifest does not list it"),
                Arguments.of("a file removed", (Tamper) dir -> Files.delete(dir.resolve("report.json")),
                        "report.json", "removed: the manifest lists it"),
                Arguments.of("a file swapped for a link to an identical copy", (Tamper) dir -> {
                    Path copy = Files.copy(dir.resolve("report.csv"), dir.getParent().resolve("copy.csv"));
                    Files.delete(dir.resolve("report.csv"));
                    Files.createSymbolicLink(dir.resolve("report.csv"), copy);
                }, "report.csv", "not a regular file (a link or a folder where the manifest lists a file)"),
                Arguments.of("the manifest edited to match an edited file", (Tamper) dir -> {
                    Files.writeString(dir.resolve("report.csv"), "forged\n");
                    String manifest = Files.readString(dir.resolve("manifest.json"));
                    Files.writeString(dir.resolve("manifest.json"), manifest.replace(EvidenceBundle.sha256(dir.getParent().resolve("orig.csv")),
                            EvidenceBundle.sha256(dir.resolve("report.csv"))));
                }, "manifest.json", "the signature does not hold: the manifest or its signature was changed, or another key signed it"),
                Arguments.of("re-signed with another key", (Tamper) dir -> EvidenceBundle.seal(dir, FACTS, OTHER.getPrivate()),
                        "manifest.json", "the signature does not hold: the manifest or its signature was changed, or another key signed it"),
                Arguments.of("a signature that is not base64", (Tamper) dir -> Files.writeString(dir.resolve("manifest.json.sig"), "%%%\n"),
                        "manifest.json", "the signature does not hold: the manifest or its signature was changed, or another key signed it"),
                Arguments.of("the signature removed", (Tamper) dir -> Files.delete(dir.resolve("manifest.json.sig")),
                        "manifest.json.sig", "removed: the manifest is not signed"),
                Arguments.of("the manifest removed", (Tamper) dir -> Files.delete(dir.resolve("manifest.json")),
                        "manifest.json", "removed: the bundle has no manifest"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tampering")
    void verifyNamesTheFirstFileThatDoesNotMatch(String change, Tamper tamper, String file, String problem) throws IOException {
        // given a sealed bundle
        Path dir = bundle();
        Files.copy(dir.resolve("report.csv"), tmp.resolve("orig.csv"));

        // when
        tamper.apply(dir);
        EvidenceBundle.Result result = EvidenceBundle.verify(dir, KEYS.getPublic());

        // then
        assertThat(result.ok()).as(change).isEqualTo(file == null);
        assertThat(result.file()).as(change).isEqualTo(file);
        assertThat(result.problem()).as(change).isEqualTo(problem);
        if (file == null) {
            assertThat(result.files()).isEqualTo(4);
        }
    }

    @Test
    void theSameFilesAndFactsGiveTheSameManifestAndSignature() throws IOException {
        Path first = bundle();
        String manifest = Files.readString(first.resolve("manifest.json"));
        String signature = Files.readString(first.resolve("manifest.json.sig"));

        EvidenceBundle.seal(first, FACTS, KEYS.getPrivate());

        assertThat(Files.readString(first.resolve("manifest.json"))).isEqualTo(manifest);
        assertThat(Files.readString(first.resolve("manifest.json.sig"))).isEqualTo(signature);
        assertThat(manifest).contains("\"format\" : \"driftwarden-evidence/1\"", "\"since\" : \"2026-11-01T00:00:00Z\"",
                "\"headSeq\" : 42", "\"lastInPeriodSeq\" : 40", "\"path\" : \"checkpoints/checkpoints.jsonl\"");
    }

    @Test
    void keepsTheCheckpointsOfThePeriodWithTheOneBeforeAndTheOneAfter() {
        List<String> lines = List.of(line("2026-10-30T02:00:00Z"), line("2026-10-31T02:00:00Z"), line("2026-11-02T02:00:00Z"),
                line("2026-11-07T02:00:00Z"), line("2026-11-08T02:00:00Z"), line("2026-11-09T02:00:00Z"));

        assertThat(EvidenceBundle.checkpointsCovering(lines, FACTS.since(), FACTS.until()))
                .containsExactly(lines.get(1), lines.get(2), lines.get(3), lines.get(4));
        assertThat(EvidenceBundle.checkpointsCovering(lines.subList(0, 2), FACTS.since(), FACTS.until()))
                .as("none written in the period or after it: none covers it").isEmpty();
    }

    private static String line(String time) {
        return "{\"format\":\"driftwarden-checkpoint/1\",\"seq\":1,\"time\":\"" + time + "\"}";
    }

    private Path bundle() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(dir.resolve("report.csv"), "seq,time\n1,2026-11-01T02:00:00Z\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.json"), "{}\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("audit-verify.json"), "{\"ok\":true}\n", StandardCharsets.UTF_8);
        Files.writeString(Files.createDirectories(dir.resolve("checkpoints")).resolve("checkpoints.jsonl"), "{}\n", StandardCharsets.UTF_8);
        EvidenceBundle.seal(dir, FACTS, KEYS.getPrivate());
        return dir;
    }

    private static KeyPair keys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
