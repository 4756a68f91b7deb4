package io.driftwarden.notify.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.config.NotificationTarget;
import io.driftwarden.notify.Digest;
import io.driftwarden.notify.Digests;
import io.driftwarden.notify.Items;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each service's payload shape, as its documentation defines it, and the content every message carries: what drifted,
 * who changed it and when, what was done, the health after, the exception, the commit link — and never a masked diff.
 */
class MessagesTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static AuditRecord row(long seq, String name, EventType event, String action, String error, AuditEntry.Details details) {
        return new AuditRecord(seq, Instant.parse("2026-12-03T02:00:00Z").plusSeconds(seq), new AuditEntry("run-1", "cronjob", "shop",
                "https://github.com/acme/platform.git", SHA, "prod", "shop", "apps", "v1", "Deployment", name, event, "MODIFIED", action,
                "/spec/replicas", "-  replicas: 3\n+  replicas: 1   (a diff: never in a message)", error, details), "p", "h");
    }

    private static Digest digest(NotificationTarget.Digest kind, String name) {
        List<AuditRecord> rows = List.of(
                row(1, name, EventType.INTENT, "CONFIGURED", null,
                        AuditEntry.Details.NONE.withChangedBy("/spec/replicas\tkubectl-edit\t2026-12-03T01:02:03Z")),
                row(2, name, EventType.CORRECTED, "CONFIGURED", null, AuditEntry.Details.NONE),
                row(3, name, EventType.HEALTH, null, null, AuditEntry.Details.NONE.withHealth("Failed", "ProgressDeadlineExceeded: "
                        + "ReplicaSet \"web-7d\" has timed out progressing")));
        NotificationTarget target = new NotificationTarget("team-a", NotificationTarget.Type.WEBHOOK, "https://h.example.com", null, null,
                Set.of(NotificationTarget.Event.values()), List.of(), List.of(), NotificationTarget.Severity.INFO, kind,
                Duration.ofSeconds(5), null, "f:1");
        return Digests.of(target, "run-1", "cronjob", Items.of(rows), Instant.parse("2026-12-03T02:05:00Z")).get(0);
    }

    @Test
    void theTextSaysWhatDriftedWhoChangedItWhatWasDoneTheHealthAndTheCommit() {
        String text = Facts.plainText(digest(NotificationTarget.Digest.RUN, "web"));

        assertThat(text).startsWith("driftwarden run run-1 (cronjob): 1 drift, 1 corrected, 1 health in binding shop\n")
                .contains("* Deployment/shop/web",
                        "path: /spec/replicas (kubectl-edit, 2026-12-03T01:02:03Z)",
                        "done: corrected (configured)",
                        "health: Failed: ProgressDeadlineExceeded: ReplicaSet \"web-7d\" has timed out progressing",
                        "commit: https://github.com/acme/platform/commit/" + SHA)
                .doesNotContain("replicas: 3", "never in a message");
    }

    @Test
    void slackGetsFallbackTextAndMrkdwnBlocksWithRowTextEscaped() {
        // a name cannot carry markup into Slack: <!channel> would ping everyone
        JsonNode slack = SlackMessage.of(digest(NotificationTarget.Digest.RUN, "web<!channel>&"));

        assertThat(slack.path("text").asString()).contains("run-1");
        List<String> types = new ArrayList<>();
        slack.path("blocks").forEach(block -> types.add(block.path("type").asString()));
        assertThat(types).containsExactly("header", "section", "context");
        JsonNode header = slack.path("blocks").get(0).path("text");
        assertThat(header.path("type").asString()).isEqualTo("plain_text");
        assertThat(header.path("text").asString().length()).isLessThanOrEqualTo(150);
        JsonNode section = slack.path("blocks").get(1).path("text");
        assertThat(section.path("type").asString()).isEqualTo("mrkdwn");
        assertThat(section.path("text").asString()).contains("*Deployment/shop/web&lt;!channel&gt;&amp;*",
                "<https://github.com/acme/platform/commit/" + SHA + "|0123456789ab>", "kubectl-edit")
                .doesNotContain("<!channel>");
    }

    @Test
    void slackStaysWithinFiftyBlocksForABigRun() {
        List<AuditRecord> rows = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            rows.add(row(i + 1, "web-" + i, EventType.DETECTED, "SKIPPED", null, AuditEntry.Details.NONE));
        }
        NotificationTarget target = new NotificationTarget("t", NotificationTarget.Type.SLACK, null, null, null,
                Set.of(NotificationTarget.Event.values()), List.of(), List.of(), NotificationTarget.Severity.INFO,
                NotificationTarget.Digest.RUN, Duration.ofSeconds(5), null, "f:1");
        Digest big = Digests.of(target, "run-1", "manual", Items.of(rows), Instant.EPOCH).get(0);

        JsonNode slack = SlackMessage.of(big);

        assertThat(slack.path("blocks").size()).isLessThanOrEqualTo(50);
        assertThat(slack.toString()).contains("…and 80 more");
        slack.path("blocks").forEach(block -> assertThat(block.path("text").path("text").asString().length()).isLessThanOrEqualTo(3000));
    }

    @Test
    void teamsGetsAnAdaptiveCardMessage() {
        JsonNode teams = TeamsMessage.of(digest(NotificationTarget.Digest.RUN, "web"));

        assertThat(teams.path("type").asString()).isEqualTo("message");
        JsonNode attachment = teams.path("attachments").get(0);
        assertThat(attachment.path("contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(attachment.has("contentUrl")).isTrue();
        JsonNode card = attachment.path("content");
        assertThat(card.path("type").asString()).isEqualTo("AdaptiveCard");
        assertThat(card.path("version").asString()).isEqualTo("1.4");
        assertThat(card.path("$schema").asString()).isEqualTo("http://adaptivecards.io/schemas/adaptive-card.json");
        List<String> types = new ArrayList<>();
        card.path("body").forEach(element -> types.add(element.path("type").asString()));
        assertThat(types).containsExactly("TextBlock", "TextBlock", "FactSet", "TextBlock");
        assertThat(card.path("body").get(2).path("facts").toString()).contains("\"title\":\"health\"",
                "[" + SHA + "](https://github.com/acme/platform/commit/" + SHA + ")");
    }

    @Test
    void theWebhookJsonFollowsItsDocumentedSchema() {
        JsonNode json = WebhookJson.of(digest(NotificationTarget.Digest.RUN, "web"));

        assertThat(json.path("schema").asString()).isEqualTo("driftwarden.io/notification/v1");
        assertThat(json.path("digest").asString()).isEqualTo("run");
        assertThat(json.path("run").path("id").asString()).isEqualTo("run-1");
        assertThat(json.path("counts").toString()).isEqualTo("{\"drift\":1,\"corrected\":1,\"health\":1}");
        JsonNode item = json.path("items").get(0);
        assertThat(item.path("subject").asString()).isEqualTo("Deployment/shop/web");
        assertThat(item.path("events").toString()).isEqualTo("[\"drift\",\"corrected\",\"health\"]");
        assertThat(item.path("changedBy").get(0).toString())
                .isEqualTo("{\"path\":\"/spec/replicas\",\"manager\":\"kubectl-edit\",\"time\":\"2026-12-03T01:02:03Z\"}");
        assertThat(item.path("health").path("state").asString()).isEqualTo("Failed");
        assertThat(item.path("source").path("link").asString()).isEqualTo("https://github.com/acme/platform/commit/" + SHA);
        assertThat(json.toString()).doesNotContain("never in a message");
    }

    @Test
    void aCloudEventCarriesTheDigestWithItsAttributes() {
        CloudEvent run = CloudEventMessage.of(digest(NotificationTarget.Digest.RUN, "web"));
        CloudEvent one = CloudEventMessage.of(digest(NotificationTarget.Digest.EVENT, "web"));

        assertThat(run.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(run.getId()).isEqualTo("run-1/team-a");
        assertThat(run.getType()).isEqualTo("io.driftwarden.run.digest");
        assertThat(run.getSource().toString()).isEqualTo("/driftwarden");
        assertThat(run.getSubject()).isEqualTo("run-1");
        assertThat(run.getDataContentType()).isEqualTo("application/json");
        assertThat(new String(run.getData().toBytes(), StandardCharsets.UTF_8)).contains("\"schema\":\"driftwarden.io/notification/v1\"");
        assertThat(one.getId()).isEqualTo("run-1/team-a/3");
        assertThat(one.getType()).isEqualTo("io.driftwarden.object.health");
        assertThat(one.getSubject()).isEqualTo("Deployment/shop/web");
    }

    @Test
    void theEmailHasAOneLineSubjectAndAnEscapedHtmlAlternative() {
        Digest digest = digest(NotificationTarget.Digest.RUN, "web<script>");

        assertThat(EmailText.subject(digest)).doesNotContain("\n", "\r").startsWith("driftwarden run run-1");
        assertThat(EmailText.html(digest)).contains("Deployment/shop/web&lt;script&gt;").doesNotContain("<script>")
                .contains("<a href=\"https://github.com/acme/platform/commit/" + SHA + "\">");
        assertThat(EmailText.plain(digest)).contains("kubectl-edit");
    }
}
