package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.AuditSettings;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.driftwarden.notify.delivery.Signature;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The notifications story through the CLI in process, against the sandbox: a Secret and a ConfigMap in Git; each run
 * (the first creates them, the second puts back a hand edit, a plan only finds one) sends exactly one digest per
 * target — a signed webhook, Slack, e-mail to GreenMail — and a target that answers 404 is a NOTIFY_FAILED row while
 * the exit code stays what the bindings made it. No Secret value, in Git or live, appears in any payload. What it does
 * not prove: a real API server's field managers (the sandbox's), Slack accepting the payload, STARTTLS (GreenMail has
 * none: {@code startTLS: false} here; NotifierIT shows the required case refusing).
 */
class NotificationsStoryIT {

    private static final String GIT_SECRET = "story-Git-s3cret";
    private static final String HAND_SECRET = "story-Hand-s3cret";
    private static final String HMAC_KEY = "story-hmac-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("shop");

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    /** One request a receiver got. */
    record Request(String path, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void receiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            requests.add(new Request(exchange.getRequestURI().getPath(), headers, exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/gone") ? 404 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private List<Request> to(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void eachRunSendsOneDigestPerTargetAndNoSecretValue() throws Exception {
        // given a Secret and a ConfigMap in Git, a binding that enforces them, and four targets
        CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {color: blue}\n",
                "app/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {password: " + GIT_SECRET + "}\n");
        Files.writeString(tmp.resolve("hmac.key"), HMAC_KEY);
        Files.writeString(tmp.resolve("slack.url"), url("/slack"));
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce}]
                notifications:
                  - {name: hook, type: webhook, url: "%s", hmacKeyFrom: "file:hmac.key"}
                  - {name: chat, type: slack, urlFrom: "file:slack.url"}
                  - {name: gone, type: webhook, url: "%s"}
                  - name: mail
                    type: email
                    smtp: {host: 127.0.0.1, port: %d, startTLS: false}
                    from: driftwarden@example.com
                    to: [shop-team@example.com]
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig")),
                url("/hook"), url("/gone"), SMTP.getSmtp().getPort()));
        assertThat(InProcess.cli("validate", "--config", config.toString(), "--environment").exit()).isZero();

        // when the first run creates both objects
        InProcess.Outcome first = InProcess.cli("run", "--config", config.toString());

        // then it exits 0 although one target answered 404, and every target got exactly one digest
        assertThat(first.exit()).as(first.all()).isEqualTo(ExitCodes.OK);
        assertThat(to("/hook")).hasSize(1);
        assertThat(to("/slack")).hasSize(1);
        assertThat(to("/gone")).hasSize(1);
        assertThat(SMTP.getReceivedMessages()).hasSize(1);

        // when someone edits the Secret by hand and the next run puts Git's value back
        try (var kubectl = stage.sandbox().client()) {
            kubectl.secrets().inNamespace("shop").withName("creds").edit(s -> {
                s.getData().put("password", CliE2E.base64(HAND_SECRET));
                return s;
            });
        }
        // and someone labels the ConfigMap as kubectl edit does (field manager kubectl-edit): a field Git lacks
        java.net.http.HttpResponse<String> labelled = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(stage.sandbox().url() + "/api/v1/namespaces/shop/configmaps/settings?fieldManager=kubectl-edit"))
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"labels\":{\"oncall\":\"me\"}}}"))
                .header("Content-Type", "application/merge-patch+json").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(labelled.statusCode()).as(labelled.body()).isBetween(200, 299);
        InProcess.Outcome second = InProcess.cli("run", "--config", config.toString());

        // then one more digest each, telling what drifted and what was done, signed
        assertThat(second.exit()).as(second.all()).isEqualTo(ExitCodes.OK);
        assertThat(to("/hook")).hasSize(2);
        assertThat(to("/slack")).hasSize(2);
        assertThat(SMTP.getReceivedMessages()).hasSize(2);
        Request hook = to("/hook").get(1);
        assertThat(Signature.verifies(HMAC_KEY, hook.body(), hook.headers().get("x-signature"))).isTrue();
        JsonNode digest = JSON.readTree(hook.body());
        assertThat(digest.path("items")).hasSize(2);
        JsonNode secret = digest.path("items").get(0).path("subject").asString().startsWith("Secret") ? digest.path("items").get(0)
                : digest.path("items").get(1);
        JsonNode settings = secret == digest.path("items").get(0) ? digest.path("items").get(1) : digest.path("items").get(0);
        assertThat(secret.path("subject").asString()).isEqualTo("Secret/shop/creds");
        assertThat(secret.path("outcome").asString()).isEqualTo("CORRECTED");
        assertThat(secret.path("paths").toString()).contains("password");
        assertThat(secret.path("source").path("commit").asString()).hasSize(40);
        assertThat(settings.path("subject").asString()).isEqualTo("ConfigMap/shop/settings");
        assertThat(settings.path("changedBy").toString()).contains("oncall", "\"manager\":\"kubectl-edit\"");
        String slackText = JSON.readTree(to("/slack").get(1).body()).path("blocks").toString();
        assertThat(slackText).contains("Secret/shop/creds", "ConfigMap/shop/settings", "kubectl-edit", "corrected");

        // when it is edited again and a plan finds it: a plan tells drift too (left in place)
        try (var kubectl = stage.sandbox().client()) {
            kubectl.secrets().inNamespace("shop").withName("creds").edit(s -> {
                s.getData().put("password", CliE2E.base64(HAND_SECRET));
                return s;
            });
        }
        InProcess.Outcome plan = InProcess.cli("plan", "--config", config.toString());
        assertThat(plan.exit()).as(plan.all()).isEqualTo(ExitCodes.DRIFT);
        assertThat(to("/hook")).hasSize(3);
        assertThat(JSON.readTree(to("/hook").get(2).body()).path("items").get(0).path("outcome").asString()).isEqualTo("DETECTED");

        // the 404s are in the audit trail, by target name and status, never the URL; the chain holds
        try (AuditLog audit = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), Clock.systemUTC())) {
            List<AuditRecord> failed = audit.records(ReportFilter.all()).stream()
                    .filter(r -> r.entry().event() == EventType.NOTIFY_FAILED).toList();
            assertThat(failed).hasSize(3).allSatisfy(row -> {
                assertThat(row.entry().error()).isEqualTo("notification 'gone' (webhook): HTTP 404 after 1 attempt");
                assertThat(row.entry().binding()).isEqualTo("shop");
                assertThat(row.entry().toString()).doesNotContain("127.0.0.1", "/gone");
            });
            assertThat(audit.verify().ok()).isTrue();
        }

        // and no Secret value, from Git or from the hand edit, plain or base64, in any payload
        List<String> payloads = new ArrayList<>();
        requests.forEach(r -> payloads.add(r.text() + r.headers()));
        for (MimeMessage mail : SMTP.getReceivedMessages()) {
            payloads.add(GreenMailUtil.getWholeMessage(mail));
        }
        assertThat(payloads).hasSize(3 + 3 + 3 + 3).allSatisfy(payload -> assertThat(payload).doesNotContain(GIT_SECRET,
                CliE2E.base64(GIT_SECRET), HAND_SECRET, CliE2E.base64(HAND_SECRET), HMAC_KEY));
    }
}
