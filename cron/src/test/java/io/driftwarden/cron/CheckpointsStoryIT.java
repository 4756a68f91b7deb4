package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signed checkpoints through the CLI in process, on an H2 file: a run that appended rows signs the chain and prints
 * the checkpoint in its JSON summary; {@code audit verify --checkpoints} is green; then the newest rows are deleted and
 * the head and run tables rewritten to match: plain {@code audit verify} stays green (that is what it cannot see), the
 * checkpoints make it exit 1 naming the checkpoint; an edited checkpoint is a bad signature.
 */
class CheckpointsStoryIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("shop");

    @Test
    void aRewrittenTailThatPlainVerifyMissesContradictsTheSignedCheckpoint() throws Exception {
        // given a config whose runs are signed
        CliE2E.repo(tmp.resolve("repo"), "app/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n",
                "app/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: v}\n");
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path privateKey = Files.writeString(tmp.resolve("signing.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Path publicKey = Files.writeString(tmp.resolve("public.pem"), pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        Path checkpoints = tmp.resolve("proof/checkpoints.jsonl");
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit:
                  url: "jdbc:h2:file:%s"
                  checkpoints: {file: proof/checkpoints.jsonl, signingKeyFrom: "file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: audit}]
                """.formatted(tmp.resolve("audit"), privateKey, tmp.resolve("repo").toUri(),
                stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));
        String[] verify = {"audit", "verify", "--config", config.toString(), "--checkpoints", checkpoints.toString(),
            "--public-key", publicKey.toString()};

        // when a run records drift (audit mode: DETECTED rows only, so deleting one leaves no INTENT open)
        InProcess.Outcome run = InProcess.cli("run", "--config", config.toString(), "--format", "json");

        // then its summary carries the checkpoint it appended, and verify agrees
        assertThat(run.exit()).as(run.all()).isEqualTo(ExitCodes.DRIFT);
        JsonNode checkpoint = JsonMapper.builder().build().readTree(run.out()).path("checkpoint");
        assertThat(checkpoint.path("reason").asString()).isEqualTo("run");
        assertThat(checkpoint.path("seq").asLong()).isPositive();
        assertThat(Files.readAllLines(checkpoints)).hasSize(1).first().asString().contains("\"hash\":\"" + checkpoint.path("hash").asString());
        InProcess.Outcome intact = InProcess.cli(verify);
        assertThat(intact.exit()).as(intact.all()).isZero();
        assertThat(intact.out()).contains("checkpoints intact: 1 signed checkpoints agree with the store");
        InProcess.Outcome onDemand = InProcess.cli("audit", "checkpoint", "--config", config.toString());
        assertThat(onDemand.exit()).as(onDemand.all()).isZero();
        assertThat(onDemand.out()).startsWith("checkpoint {\"format\":\"driftwarden-checkpoint/1\"");

        // when the newest row is deleted and the head and run tables are rewritten to match
        long head = checkpoint.path("seq").asLong();
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + tmp.resolve("audit"), "sa", "");
             Statement sql = db.createStatement()) {
            String before;
            try (ResultSet row = sql.executeQuery("SELECT hash FROM audit_event WHERE seq = " + (head - 1))) {
                row.next();
                before = row.getString(1);
            }
            sql.executeUpdate("DELETE FROM audit_event WHERE seq = " + head);
            sql.executeUpdate("UPDATE audit_chain_head SET last_seq = " + (head - 1) + ", last_hash = '" + before + "'");
            sql.executeUpdate("UPDATE audit_run SET chain_seq = " + (head - 1) + ", chain_hash = '" + before + "'");
        }

        // then plain verify is green, and the checkpoints are not
        assertThat(InProcess.cli("audit", "verify", "--config", config.toString()).exit()).isZero();
        InProcess.Outcome caught = InProcess.cli(verify);
        assertThat(caught.exit()).as(caught.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(caught.out()).contains("checkpoints BROKEN: checkpoint line 1 (run ", "head seq " + head + ") is contradicted: row seq "
                + head + " is no longer in the store");

        // and an edited checkpoint is a bad signature
        List<String> lines = Files.readAllLines(checkpoints, StandardCharsets.UTF_8);
        Files.write(checkpoints, List.of(lines.get(0).replace("\"seq\":" + head, "\"seq\":" + (head - 1)), lines.get(1)));
        InProcess.Outcome forged = InProcess.cli(verify);
        assertThat(forged.exit()).as(forged.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(forged.out()).contains("checkpoints BROKEN: checkpoint line 1 (run ", "has a bad signature");
    }

    @Test
    void aPruneIsSignedAndTheStoreCannotThenBeEmptiedUnnoticed() throws Exception {
        // given a signed run
        CliE2E.repo(tmp.resolve("repo"), "app/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n");
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path publicKey = Files.writeString(tmp.resolve("public.pem"), pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit:
                  url: "jdbc:h2:file:%s"
                  checkpoints: {file: checkpoints.jsonl, signingKeyFrom: "env:DRIFTWARDEN_TEST_NO_SUCH_VARIABLE"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: audit}]
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));
        // a key that cannot be read stops the run before anything is contacted, and a prune before any row is deleted
        InProcess.Outcome noKey = InProcess.cli("run", "--config", config.toString());
        assertThat(noKey.exit()).as(noKey.all()).isEqualTo(ExitCodes.USAGE);
        assertThat(noKey.err()).contains(config + ":3: audit.checkpoints.signingKeyFrom: environment variable "
                + "DRIFTWARDEN_TEST_NO_SUCH_VARIABLE is not set");
        Files.writeString(tmp.resolve("signing.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Files.writeString(config, Files.readString(config).replace("env:DRIFTWARDEN_TEST_NO_SUCH_VARIABLE", "file:signing.pem"));
        assertThat(InProcess.cli("run", "--config", config.toString()).exit()).isEqualTo(ExitCodes.DRIFT);
        Path archive = tmp.resolve("archive.jsonl.gz");
        String[] verify = {"audit", "verify", "--config", config.toString(), "--checkpoints", tmp.resolve("checkpoints.jsonl").toString(),
            "--public-key", publicKey.toString()};

        // when every row is pruned
        InProcess.Outcome pruned = InProcess.cli("audit", "prune", "--config", config.toString(), "--older-than", "0s", "--archive",
                archive.toString());

        // then the prune is signed, verify is green, and the archive proves the run's checkpoint row by row
        assertThat(pruned.exit()).as(pruned.all()).isZero();
        assertThat(pruned.out()).contains("\"reason\":\"prune\"");
        assertThat(InProcess.cli(verify).exit()).isZero();
        String[] withArchive = java.util.stream.Stream.concat(java.util.Arrays.stream(verify), java.util.stream.Stream.of("--archive",
                archive.toString())).toArray(String[]::new);
        InProcess.Outcome proven = InProcess.cli(withArchive);
        assertThat(proven.exit()).as(proven.all()).isZero();
        assertThat(proven.out()).contains("checkpoints intact: 2 signed checkpoints agree with the store").doesNotContain("note:");

        // when the anchor, the head and the runs are wiped as if the store were new
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + tmp.resolve("audit"), "sa", "");
             Statement sql = db.createStatement()) {
            sql.executeUpdate("DELETE FROM audit_anchor");
            sql.executeUpdate("DELETE FROM audit_run");
            sql.executeUpdate("UPDATE audit_chain_head SET last_seq = 0, last_hash = '" + "0".repeat(64) + "'");
        }

        // then plain verify sees an empty, intact store; the checkpoints do not
        assertThat(InProcess.cli("audit", "verify", "--config", config.toString()).out()).startsWith("chain intact: 0 rows");
        InProcess.Outcome caught = InProcess.cli(verify);
        assertThat(caught.exit()).as(caught.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(caught.out()).contains("checkpoints BROKEN: checkpoint line 1 (run ", "is contradicted: row seq ",
                "is no longer in the store");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
