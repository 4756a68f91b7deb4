package io.driftwarden.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.AuditSettings;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.server.SMTPServer;

/**
 * E-mail over STARTTLS on the wire: SubEthaSMTP (a real SMTP server that speaks STARTTLS, which GreenMail 2.1 does
 * not) on loopback, requiring TLS, with a certificate made for 127.0.0.1 by the JDK's keytool. With that certificate as
 * {@code smtp.caFile} the digest arrives; without it (the JVM's CAs do not know it) nothing is sent and the failure is a
 * NOTIFY_FAILED row.
 */
class StartTlsMailIT {

    private static final String PASSWORD = "keystore-pass";

    @TempDir
    Path tmp;

    @TempDir
    static Path certificates;

    private SMTPServer server;
    private AuditLog audit;
    private final List<String> received = new CopyOnWriteArrayList<>();

    /** A self-signed certificate for 127.0.0.1, by the JDK's own keytool (once: a JVM start each). */
    @org.junit.jupiter.api.BeforeAll
    static void certificate() throws Exception {
        Path keystore = certificates.resolve("smtp.p12");
        keytool("-genkeypair", "-alias", "smtp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "smtp", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", certificates.resolve("smtp-ca.pem").toString());
    }

    @BeforeEach
    void start() throws Exception {
        Files.copy(certificates.resolve("smtp-ca.pem"), tmp.resolve("smtp-ca.pem"));
        Path keystore = certificates.resolve("smtp.p12");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        server = SMTPServer.port(0).bindAddress(InetAddress.getLoopbackAddress()).enableTLS().requireTLS()
                .startTlsSocketFactory(tls)
                .messageHandler((context, from, to, data) -> received.add(new String(data, StandardCharsets.UTF_8)))
                .build();
        server.start();
        audit = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), Clock.systemUTC());
        audit.append(new AuditEntry("run-1", "cronjob", "shop", "https://github.com/acme/platform.git",
                "0123456789abcdef0123456789abcdef01234567", "prod", "shop", "apps", "v1", "Deployment", "web", EventType.DETECTED,
                "MODIFIED", "SKIPPED", "spec.replicas", null, null));
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        audit.close();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private DriftwardenConfig config(String caFile) throws Exception {
        return ConfigLoader.load(Files.writeString(tmp.resolve("driftwarden.yaml"), """
                sources: [{name: platform, url: "https://github.com/acme/platform.git"}]
                clusters: [{name: prod, kubeconfig: kube.yaml}]
                bindings: [{name: shop, source: platform, path: shop, cluster: prod, namespace: shop}]
                notifications:
                  - name: mail
                    type: email
                    smtp: {host: 127.0.0.1, port: %d%s}
                    from: driftwarden@example.com
                    to: [shop-team@example.com]
                """.formatted(server.getPortAllocated(), caFile == null ? "" : ", caFile: " + caFile)));
    }

    @Test
    void theDigestTravelsOverStartTlsToAServerWhoseCertificateTheCaFileTrusts() throws Exception {
        List<Notifier.Sent> sent = new Notifier(Clock.systemUTC()).afterRun(config("smtp-ca.pem"), "run-1", audit);

        assertThat(sent).singleElement().satisfies(s -> assertThat(s.delivered()).isEqualTo(1));
        assertThat(received).singleElement().asString().contains("Subject: driftwarden run run-1 (cronjob): 1 drift in binding shop",
                "Deployment/shop/web", "multipart/alternative");
    }

    @Test
    void aCertificateNobodyTrustsGetsNothingAndIsNotTriedAgain() throws Exception {
        long started = System.nanoTime();
        new Notifier(Clock.systemUTC()).afterRun(config(null), "run-1", audit);

        assertThat(received).isEmpty();
        // one attempt: a certificate nobody trusts will not be trusted in a second (the bound is 30 s)
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(10));
        List<AuditRecord> failed = audit.records(ReportFilter.run("run-1")).stream()
                .filter(r -> r.entry().event() == EventType.NOTIFY_FAILED).toList();
        assertThat(failed).singleElement().extracting(r -> r.entry().error()).asString()
                .startsWith("notification 'mail' (email): MessagingException (").endsWith("after 1 attempt");
    }
}
