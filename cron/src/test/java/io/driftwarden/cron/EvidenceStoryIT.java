package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.EventType;
import io.driftwarden.config.AuditSettings;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evidence bundle through the CLI in process, on an H2 file holding a fixed trail (rows appended with a clock set by
 * hand): {@code evidence} writes the reports, the chain's verification, the checkpoint covering the period, the
 * configuration with its secrets as references and a signed manifest; {@code evidence verify} passes, and fails naming
 * an edited report; a second bundle of the same period is byte-identical; {@code report --control} keeps the bindings
 * that evidence the control. No cluster is involved: the rows are what runs would have written.
 */
class EvidenceStoryIT {

    @TempDir
    Path tmp;

    /** A clock moved by hand. */
    static final class HandClock extends Clock {
        Instant now;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void writesASignedBundleThatVerifiesAndNamesAnEditedFile() throws Exception {
        // given a config whose bindings name controls, a signing key, checkpoints, and a webhook secret in a file
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path privateKey = Files.writeString(tmp.resolve("evidence.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Path publicKey = Files.writeString(tmp.resolve("evidence.pub.pem"), pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        Files.writeString(tmp.resolve("hmac.txt"), "s3cr3t-webhook-value");
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit:
                  url: "jdbc:h2:file:%1$s"
                  checkpoints: {file: checkpoints.jsonl, signingKeyFrom: "file:evidence.pem"}
                sources: [{name: repo, url: "file:///srv/git/platform.git"}]
                clusters: [{name: prod, kubeconfig: kubeconfig}]
                bindings:
                  - {name: web, source: repo, path: web, cluster: prod, namespace: web, controls: [SOC2-CC8.1, ISO27001-A.8.32]}
                  - {name: api, source: repo, path: api, cluster: prod, namespace: api, controls: [SOC2-CC8.1]}
                  - {name: batch, source: repo, path: batch, cluster: prod, namespace: batch}
                webhook: {hmacSecretFrom: "file:hmac.txt"}
                evidence: {signingKeyFrom: "file:evidence.pem"}
                """.formatted(tmp.resolve("audit")));
        HandClock clock = new HandClock();
        try (AuditLog log = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), clock)) {
            append(log, clock, "2026-10-31T02:00:00Z", "web", EventType.DETECTED);
            append(log, clock, "2026-11-01T02:00:00Z", "web", EventType.DETECTED);
            append(log, clock, "2026-11-01T03:00:00Z", "web", EventType.INTENT);
            append(log, clock, "2026-11-01T03:00:01Z", "web", EventType.CORRECTED);
            append(log, clock, "2026-11-02T02:00:00Z", "api", EventType.DETECTED);
            append(log, clock, "2026-11-03T02:00:00Z", "batch", EventType.DETECTED);
            append(log, clock, "2026-11-09T02:00:00Z", "web", EventType.DETECTED);
        }
        assertThat(InProcess.cli("audit", "checkpoint", "--config", config.toString()).exit()).isZero();
        String[] evidence = {"evidence", "--config", config.toString(), "--since", "2026-11-01", "--until", "2026-11-08", "--output"};

        // when
        InProcess.Outcome written = InProcess.cli(concat(evidence, tmp.resolve("bundle").toString()));

        // then the bundle holds every file, the checkpoint after the period, and no secret value
        assertThat(written.exit()).as(written.all()).isZero();
        assertThat(written.out()).contains("1 checkpoints", "chain intact", "manifest.json signed");
        Path bundle = tmp.resolve("bundle");
        assertThat(names(bundle)).containsExactly("audit-verify.json", "checkpoints.jsonl", "config.json", "manifest.json",
                "manifest.json.sig", "report.csv", "report.html", "report.json");
        String configJson = Files.readString(bundle.resolve("config.json"));
        assertThat(configJson).contains("hmac.txt", "evidence.pem", "SOC2-CC8.1").doesNotContain("s3cr3t-webhook-value", "BEGIN PRIVATE KEY",
                Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()).substring(0, 40));
        for (Path file : files(bundle)) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContain("s3cr3t-webhook-value", "BEGIN PRIVATE KEY");
        }
        JsonMapper json = JsonMapper.builder().build();
        JsonNode report = json.readTree(bundle.resolve("report.json").toFile());
        assertThat(report.path("rows")).hasSize(5);
        assertThat(report.path("compliance").path("total").path("driftsFound").asInt()).isEqualTo(3);
        assertThat(report.path("compliance").path("controls").get(1).path("control").asString()).isEqualTo("SOC2-CC8.1");
        assertThat(report.path("compliance").path("controls").get(1).path("bindings").toString()).isEqualTo("[\"api\",\"web\"]");
        JsonNode manifest = json.readTree(bundle.resolve("manifest.json").toFile());
        assertThat(manifest.path("period").path("since").asString()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(manifest.path("chain").path("headSeq").asLong()).isEqualTo(7);
        assertThat(manifest.path("chain").path("lastInPeriodSeq").asLong()).isEqualTo(6);
        assertThat(manifest.path("files")).hasSize(6);
        assertThat(json.readTree(bundle.resolve("audit-verify.json").toFile()).path("ok").asBoolean()).isTrue();

        // and it verifies
        InProcess.Outcome verified = InProcess.cli("evidence", "verify", bundle.toString(), "--public-key", publicKey.toString());
        assertThat(verified.exit()).as(verified.all()).isZero();
        assertThat(verified.out()).contains("evidence intact: 6 files match the signed manifest");

        // when the same period is written again, then every file is the same, byte for byte
        InProcess.Outcome again = InProcess.cli(concat(evidence, tmp.resolve("again").toString()));
        assertThat(again.exit()).as(again.all()).isZero();
        for (String name : names(bundle)) {
            assertThat(Files.readAllBytes(tmp.resolve("again").resolve(name))).as(name).isEqualTo(Files.readAllBytes(bundle.resolve(name)));
        }

        // when a report is edited, then verify exits 1 naming it
        Files.writeString(bundle.resolve("report.csv"), Files.readString(bundle.resolve("report.csv")).replace("CORRECTED", "DETECTED"));
        InProcess.Outcome broken = InProcess.cli("evidence", "verify", bundle.toString(), "--public-key", publicKey.toString());
        assertThat(broken.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(broken.out()).contains("evidence BROKEN: report.csv: edited: its SHA-256 differs from the manifest's");

        // when a row is edited in the database, then a new bundle is still written and signed, says so, and exits 1
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:h2:file:" + tmp.resolve("audit"), "sa", "");
             java.sql.Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE audit_event SET event = 'DETECTED' WHERE seq = 4");
        }
        InProcess.Outcome tampered = InProcess.cli(concat(evidence, tmp.resolve("tampered").toString()));
        assertThat(tampered.exit()).as(tampered.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(tampered.out()).contains("chain BROKEN");
        assertThat(json.readTree(tmp.resolve("tampered").resolve("audit-verify.json").toFile()).path("chain").path("problem").asString())
                .contains("seq 4");
        assertThat(InProcess.cli("evidence", "verify", tmp.resolve("tampered").toString(), "--public-key", publicKey.toString()).exit())
                .isZero();

        // and the bundle is never written over
        InProcess.Outcome over = InProcess.cli(concat(evidence, bundle.toString()));
        assertThat(over.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(over.err()).contains("exists and is not an empty folder");
    }

    @Test
    void reportsByControlAndRefusesAnUnknownControlOrAMissingKey() throws Exception {
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "file:///srv/git/platform.git"}]
                clusters: [{name: prod, kubeconfig: kubeconfig}]
                bindings:
                  - {name: web, source: repo, path: web, cluster: prod, namespace: web, controls: [ISO27001-A.8.32]}
                  - {name: api, source: repo, path: api, cluster: prod, namespace: api}
                """.formatted(tmp.resolve("audit")));
        HandClock clock = new HandClock();
        try (AuditLog log = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), clock)) {
            append(log, clock, "2026-11-01T02:00:00Z", "web", EventType.DETECTED);
            append(log, clock, "2026-11-02T02:00:00Z", "api", EventType.DETECTED);
        }

        InProcess.Outcome report = InProcess.cli("report", "--config", config.toString(), "-o", "json", "--control", "ISO27001-A.8.32");
        InProcess.Outcome unknown = InProcess.cli("report", "--config", config.toString(), "-o", "json", "--control", "PCI-1.2");
        InProcess.Outcome unsigned = InProcess.cli("evidence", "--config", config.toString(), "--since", "2026-11-01", "--until",
                "2026-11-08", "--output", tmp.resolve("bundle").toString());

        assertThat(report.exit()).as(report.all()).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(report.out());
        assertThat(json.path("rows")).hasSize(1);
        assertThat(json.path("rows").get(0).path("binding").asString()).isEqualTo("web");
        assertThat(json.path("compliance").path("controls")).hasSize(1);
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("--control PCI-1.2: no binding names it in controls: (named: ISO27001-A.8.32)");
        assertThat(unsigned.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unsigned.err()).contains("evidence.signingKeyFrom is not set");
    }

    private static void append(AuditLog log, HandClock clock, String time, String binding, EventType event) {
        clock.now = Instant.parse(time);
        log.append(new AuditEntry("run-" + time.substring(0, 10), "cronjob", binding, "file:///srv/git/platform.git",
                "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod", binding, "apps", "v1", "Deployment", binding, event, "MODIFIED",
                event == EventType.DETECTED ? "SKIPPED" : "CONFIGURED", "spec.replicas", "~ spec.replicas: 3 -> 5", null)
                .withDetails(AuditEntry.Details.NONE.withChangedBy("spec.replicas\tkubectl-scale\t" + time)));
    }

    private static String[] concat(String[] args, String last) {
        return Stream.concat(Stream.of(args), Stream.of(last)).toArray(String[]::new);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
