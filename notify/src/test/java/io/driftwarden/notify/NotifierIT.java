package io.driftwarden.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.AuditSettings;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.notify.delivery.Signature;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notifications delivered to real servers on loopback: the JDK's HTTP server as Slack, Teams, a signed webhook and a
 * CloudEvents sink, GreenMail as the SMTP server; the run's rows in a real H2 file store. What it does not prove: that
 * Slack and Teams accept the payloads (their shapes are checked against their documentation, not their servers), and
 * STARTTLS on the wire — GreenMail 2.1 offers no STARTTLS, so the e-mail is delivered with {@code startTLS: false} and
 * the test shows that with STARTTLS required nothing is sent to a server that does not offer it ({@code StartTlsMailIT}
 * sends over STARTTLS).
 */
class NotifierIT {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String HMAC_KEY = "hmac-key-never-in-a-payload";
    private static final String SMTP_PASSWORD = "smtp-password-never-in-a-payload";
    private static final String SLACK_TOKEN = "T000/B000/slack-token-never-in-a-payload";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("driftwarden", SMTP_PASSWORD));

    @TempDir
    Path tmp;

    private Receiver receiver;
    private AuditLog audit;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver();
        audit = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), Clock.systemUTC());
        Files.writeString(tmp.resolve("hmac.key"), HMAC_KEY + "\n");
        Files.writeString(tmp.resolve("smtp.password"), SMTP_PASSWORD);
        Files.writeString(tmp.resolve("slack.url"), receiver.url("/slack/" + SLACK_TOKEN));
        Files.writeString(tmp.resolve("teams.url"), receiver.url("/teams"));
    }

    @AfterEach
    void stop() throws Exception {
        receiver.close();
        audit.close();
    }

    /** The rows jobs writes for a run of binding shop: a Deployment corrected (changed by hand), a Secret whose drift is masked. */
    private void runWithDrift(String runId) {
        AuditEntry.Details who = AuditEntry.Details.NONE.withChangedBy("/spec/replicas\tkubectl-edit\t2026-12-03T01:02:03Z");
        audit.append(entry(runId, "Deployment", "web", EventType.INTENT, "CONFIGURED", "/spec/replicas", null).withDetails(who));
        audit.append(entry(runId, "Deployment", "web", EventType.CORRECTED, "CONFIGURED", "/spec/replicas", null));
        audit.append(entry(runId, "Secret", "db", EventType.INTENT, "CONFIGURED", "/data/password", null));
        audit.append(entry(runId, "Secret", "db", EventType.CORRECTED, "CONFIGURED", "/data/password", null));
    }

    private static AuditEntry entry(String runId, String kind, String name, EventType event, String action, String paths, String error) {
        return new AuditEntry(runId, "cronjob", "shop", "https://github.com/acme/platform.git", SHA, "prod", "shop", "",
                "v1", kind, name, event, "MODIFIED", action, paths, "data.password: *** (masked)", error);
    }

    private DriftwardenConfig config(String notifications) throws Exception {
        Path file = tmp.resolve("driftwarden.yaml");
        Files.writeString(file, """
                sources: [{name: platform, url: "https://github.com/acme/platform.git"}]
                clusters: [{name: prod, kubeconfig: kube.yaml}]
                bindings: [{name: shop, source: platform, path: shop, cluster: prod, namespace: shop}]
                notifications:
                """ + notifications);
        return ConfigLoader.load(file);
    }

    private List<AuditRecord> notifyFailed(String runId) {
        return audit.records(ReportFilter.run(runId)).stream().filter(r -> r.entry().event() == EventType.NOTIFY_FAILED).toList();
    }

    @Test
    void everyTargetTypeGetsExactlyOneDigestInItsShapeAndNoSecret() throws Exception {
        // given a run that corrected drift, and one target of each type
        runWithDrift("run-1");
        DriftwardenConfig config = config("""
                  - {name: hook, type: webhook, url: "%s", hmacKeyFrom: "file:hmac.key"}
                  - {name: sink, type: cloudevents, url: "%s", hmacKeyFrom: "file:hmac.key"}
                  - {name: chat, type: slack, urlFrom: "file:slack.url"}
                  - {name: teams, type: msteams, urlFrom: "file:teams.url"}
                  - name: mail
                    type: email
                    smtp: {host: 127.0.0.1, port: %d, startTLS: false, username: driftwarden, passwordFrom: "file:smtp.password"}
                    from: driftwarden@example.com
                    to: [team-a@example.com]
                """.formatted(receiver.url("/hook"), receiver.url("/ce"), SMTP.getSmtp().getPort()));

        // when the run's bindings have finished
        List<Notifier.Sent> sent = new Notifier(Clock.systemUTC()).afterRun(config, "run-1", audit);

        // then every target had exactly one message, delivered
        assertThat(sent).extracting(Notifier.Sent::target, Notifier.Sent::messages, Notifier.Sent::delivered)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hook", 1, 1), org.assertj.core.groups.Tuple.tuple("sink", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("chat", 1, 1), org.assertj.core.groups.Tuple.tuple("teams", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("mail", 1, 1));
        assertThat(notifyFailed("run-1")).isEmpty();

        // the webhook's signature verifies over the bytes received, and its JSON tells the story
        Receiver.Request hook = receiver.requests("/hook").get(0);
        assertThat(receiver.requests("/hook")).hasSize(1);
        assertThat(hook.headers().get("x-signature")).startsWith("sha256=");
        assertThat(Signature.verifies(HMAC_KEY, hook.body(), hook.headers().get("x-signature"))).isTrue();
        JsonNode json = JSON.readTree(hook.body());
        assertThat(json.path("schema").asString()).isEqualTo("driftwarden.io/notification/v1");
        assertThat(json.path("items")).hasSize(2);
        assertThat(json.path("items").get(0).path("changedBy").get(0).path("manager").asString()).isEqualTo("kubectl-edit");
        assertThat(json.path("items").get(0).path("source").path("link").asString())
                .isEqualTo("https://github.com/acme/platform/commit/" + SHA);

        // the CloudEvent is in binary mode, and the SDK reads it back
        Receiver.Request ce = receiver.requests("/ce").get(0);
        assertThat(receiver.requests("/ce")).hasSize(1);
        assertThat(ce.headers()).containsEntry("ce-specversion", "1.0").containsEntry("ce-type", "io.driftwarden.run.digest")
                .containsEntry("ce-source", "/driftwarden").containsEntry("ce-id", "run-1/sink").containsEntry("content-type", "application/json")
                .containsKey("ce-time");
        assertThat(Signature.verifies(HMAC_KEY, ce.body(), ce.headers().get("x-signature"))).isTrue();
        CloudEvent event = HttpMessageFactory.createReader(ce.headers(), ce.body()).toEvent();
        assertThat(event.getSubject()).isEqualTo("run-1");
        assertThat(JSON.readTree(event.getData().toBytes()).path("run").path("id").asString()).isEqualTo("run-1");

        // Slack's and Teams' shapes
        Receiver.Request slack = receiver.all().stream().filter(r -> r.path().startsWith("/slack/")).findFirst().orElseThrow();
        JsonNode slackJson = JSON.readTree(slack.body());
        assertThat(slackJson.path("text").asString()).contains("run-1");
        assertThat(slackJson.path("blocks").get(0).path("type").asString()).isEqualTo("header");
        assertThat(slackJson.path("blocks").get(1).path("text").path("type").asString()).isEqualTo("mrkdwn");
        JsonNode teams = JSON.readTree(receiver.requests("/teams").get(0).body());
        assertThat(teams.path("type").asString()).isEqualTo("message");
        assertThat(teams.path("attachments").get(0).path("content").path("type").asString()).isEqualTo("AdaptiveCard");

        // the e-mail: one, with both parts
        MimeMessage[] mails = SMTP.getReceivedMessages();
        assertThat(mails).hasSize(1);
        assertThat(mails[0].getSubject()).startsWith("driftwarden run run-1 (cronjob): 2 drift, 2 corrected in binding shop");
        String mail = GreenMailUtil.getWholeMessage(mails[0]);
        assertThat(mail).contains("multipart/alternative", "text/plain", "text/html", "kubectl-edit");

        // and no secret anywhere: not the HMAC key, not the SMTP password, not the Slack URL's token
        for (Receiver.Request request : receiver.all()) {
            assertThat(request.text()).doesNotContain(HMAC_KEY, SMTP_PASSWORD, SLACK_TOKEN);
            assertThat(request.headers().toString()).doesNotContain(HMAC_KEY, SMTP_PASSWORD);
        }
        assertThat(mail).doesNotContain(HMAC_KEY, SMTP_PASSWORD, SLACK_TOKEN);
    }

    @Test
    void aServerErrorIsRetriedAndTheMessageArrivesOnce() throws Exception {
        runWithDrift("run-2");
        receiver.answer("/flaky", 500, 200);
        DriftwardenConfig config = config("  - {name: flaky, type: webhook, url: \"%s\"}\n".formatted(receiver.url("/flaky")));

        List<Notifier.Sent> sent = new Notifier(Clock.systemUTC()).afterRun(config, "run-2", audit);

        assertThat(receiver.requests("/flaky")).hasSize(2);
        assertThat(receiver.requests("/flaky").get(1).text()).isEqualTo(receiver.requests("/flaky").get(0).text());
        assertThat(sent).singleElement().satisfies(s -> assertThat(s.delivered()).isEqualTo(1));
        assertThat(notifyFailed("run-2")).isEmpty();
    }

    @Test
    void aTargetThatNeverAnswersCostsItsBoundWhileTheOthersGetTheirs() throws Exception {
        runWithDrift("run-3");
        receiver.answer("/hang", Receiver.HANG);
        DriftwardenConfig config = config("""
                  - {name: dead, type: webhook, url: "%s", timeout: 1500ms}
                  - {name: alive, type: webhook, url: "%s"}
                """.formatted(receiver.url("/hang"), receiver.url("/hook")));

        long started = System.nanoTime();
        List<Notifier.Sent> sent = new Notifier(Clock.systemUTC()).afterRun(config, "run-3", audit);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        // the dead target costs its bound (1.5 s), not more (plus the little the rest takes)
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(1400)).isLessThan(Duration.ofMillis(1500).plus(Notifier.GRACE));
        assertThat(sent).extracting(Notifier.Sent::target, Notifier.Sent::delivered)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dead", 0), org.assertj.core.groups.Tuple.tuple("alive", 1));
        assertThat(receiver.requests("/hook")).hasSize(1);
        assertThat(notifyFailed("run-3")).singleElement().satisfies(row -> {
            assertThat(row.entry().error()).startsWith("notification 'dead' (webhook): timed out");
            assertThat(row.entry().binding()).isEqualTo("shop");
        });
    }

    @Test
    void aNotFoundIsRecordedOnceWithTheStatusNeverTheUrl() throws Exception {
        runWithDrift("run-4");
        receiver.answer("/slack/" + SLACK_TOKEN, 404);
        DriftwardenConfig config = config("  - {name: chat, type: slack, urlFrom: \"file:slack.url\"}\n");

        new Notifier(Clock.systemUTC()).afterRun(config, "run-4", audit);

        // not retried: a 404 will not change
        assertThat(receiver.all()).hasSize(1);
        List<AuditRecord> failed = notifyFailed("run-4");
        assertThat(failed).singleElement().satisfies(row -> {
            assertThat(row.entry().error()).isEqualTo("notification 'chat' (slack): HTTP 404 after 1 attempt");
            assertThat(row.entry().binding()).isEqualTo("shop");
            assertThat(row.entry().cluster()).isEqualTo("prod");
        });
        assertThat(failed.get(0).entry().toString()).doesNotContain(SLACK_TOKEN, "127.0.0.1", "/slack");
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void aRefusedConnectionIsRetriedWithinTheBoundThenRecorded() throws Exception {
        runWithDrift("run-5");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        DriftwardenConfig config = config("  - {name: gone, type: cloudevents, url: \"http://127.0.0.1:%d/ce\", timeout: 5s}\n"
                .formatted(closedPort));

        long started = System.nanoTime();
        new Notifier(Clock.systemUTC()).afterRun(config, "run-5", audit);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5).plus(Notifier.GRACE));
        // retried (attempts at about 0 s, 0.5 s, 1.5 s, 3.5 s — fewer on a busy machine), given up before the bound
        assertThat(notifyFailed("run-5")).singleElement().extracting(r -> r.entry().error()).asString()
                .matches("notification 'gone' \\(cloudevents\\): ConnectException after [2-4] attempts");
    }

    @Test
    void withStartTlsRequiredNothingGoesToAServerThatDoesNotOfferIt() throws Exception {
        runWithDrift("run-6");
        DriftwardenConfig config = config("""
                  - name: mail
                    type: email
                    smtp: {host: 127.0.0.1, port: %d, username: driftwarden, passwordFrom: "file:smtp.password"}
                    from: driftwarden@example.com
                    to: [team-a@example.com]
                """.formatted(SMTP.getSmtp().getPort()));

        new Notifier(Clock.systemUTC()).afterRun(config, "run-6", audit);

        assertThat(SMTP.getReceivedMessages()).isEmpty();
        assertThat(notifyFailed("run-6")).singleElement().extracting(r -> r.entry().error()).asString()
                .startsWith("notification 'mail' (email): MessagingException").doesNotContain(SMTP_PASSWORD);
    }

    @Test
    void nothingIsSentWhenATargetsFilterSelectsNothing() throws Exception {
        runWithDrift("run-7");
        DriftwardenConfig config = config("""
                  - {name: failures-only, type: webhook, url: "%s", events: [failed, refused]}
                  - {name: errors-only, type: webhook, url: "%s", severity: error}
                """.formatted(receiver.url("/hook"), receiver.url("/hook")));

        List<Notifier.Sent> sent = new Notifier(Clock.systemUTC()).afterRun(config, "run-7", audit);

        assertThat(sent).isEmpty();
        assertThat(receiver.all()).isEmpty();
        assertThat(notifyFailed("run-7")).isEmpty();
    }

    @Test
    void aReferenceThatDoesNotResolveIsRecordedByItsNameAndTheRunGoesOn() throws Exception {
        runWithDrift("run-8");
        DriftwardenConfig config = config("""
                  - {name: chat, type: slack, urlFrom: "env:DRIFTWARDEN_TEST_SURELY_UNSET_VARIABLE"}
                  - {name: hook, type: webhook, url: "%s", hmacKeyFrom: "file:no-such-key"}
                """.formatted(receiver.url("/hook")));

        List<Notifier.Sent> sent = new Notifier(Clock.systemUTC()).afterRun(config, "run-8", audit);

        assertThat(sent).extracting(Notifier.Sent::delivered).containsExactly(0, 0);
        assertThat(receiver.all()).isEmpty();
        assertThat(notifyFailed("run-8")).extracting(r -> r.entry().error()).containsExactly(
                "notification 'chat' (slack): 1 message not sent: urlFrom: environment variable DRIFTWARDEN_TEST_SURELY_UNSET_VARIABLE "
                        + "is not set",
                "notification 'hook' (webhook): 1 message not sent: hmacKeyFrom: cannot read secret file " + tmp.resolve("no-such-key"));
    }

    @Test
    void aStoppedRunSendsNothingAndSaysSo() throws Exception {
        // SIGTERM: the pod's grace period is running, a slow target must not eat it
        runWithDrift("run-9");
        DriftwardenConfig config = config("  - {name: hook, type: webhook, url: \"%s\"}\n".formatted(receiver.url("/hook")));

        new Notifier(Clock.systemUTC()).afterRun(config, "run-9", audit, true);

        assertThat(receiver.all()).isEmpty();
        assertThat(notifyFailed("run-9")).extracting(r -> r.entry().error())
                .containsExactly("notification 'hook' (webhook): 1 message not sent: the run was asked to stop");
    }
}
