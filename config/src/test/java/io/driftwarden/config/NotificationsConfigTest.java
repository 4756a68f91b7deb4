package io.driftwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** {@code notifications:} as the issue shapes it: defaults, every target type, and each refusal with its line. */
class NotificationsConfigTest {

    private static final Path FILE = Path.of("/etc/driftwarden/driftwarden.yaml");

    private static final String BASE = """
            sources: [{name: platform, url: "file:///srv/git/platform.git"}]
            clusters: [{name: prod, kubeconfig: kube.yaml}]
            bindings:
              - {name: team-a-web, source: platform, path: a, cluster: prod, namespace: a}
            notifications:
            """;

    @Test
    void readsEveryTargetTypeWithTheDocumentedDefaults() {
        DriftwardenConfig config = ConfigLoader.parse(BASE + """
                  - name: team-a-hook
                    type: webhook
                    urlFrom: env:TEAM_A_HOOK
                    hmacKeyFrom: file:keys/hmac
                    events: [drift, corrected, failed, refused, health, prune]
                    bindings: ["team-a-*"]
                    digest: run
                  - {name: chat, type: slack, urlFrom: env:SLACK_URL, events: [failed], severity: error, digest: event, timeout: 5s}
                  - {name: teams, type: msteams, urlFrom: "file:/run/secrets/teams", clusters: [prod]}
                  - {name: sink, type: cloudevents, url: "https://events.example.com/driftwarden"}
                  - name: mail
                    type: email
                    smtp: {host: smtp.example.com, usernameFrom: env:SMTP_USER, passwordFrom: env:SMTP_PASSWORD}
                    from: driftwarden@example.com
                    to: [team-a@example.com, ops@example.com]
                """, FILE);

        List<NotificationTarget> targets = config.notifications();
        assertThat(targets).extracting(NotificationTarget::name).containsExactly("team-a-hook", "chat", "teams", "sink", "mail");
        NotificationTarget hook = targets.get(0);
        assertThat(hook.type()).isEqualTo(NotificationTarget.Type.WEBHOOK);
        assertThat(hook.urlFrom()).isEqualTo(new SecretRef("env", "TEAM_A_HOOK"));
        assertThat(hook.hmacKey()).isEqualTo(new SecretRef("file", "/etc/driftwarden/keys/hmac"));
        assertThat(hook.events()).isEqualTo(Set.of(NotificationTarget.Event.values()));
        assertThat(hook.digest()).isEqualTo(NotificationTarget.Digest.RUN);
        assertThat(hook.severity()).isEqualTo(NotificationTarget.Severity.INFO);
        assertThat(hook.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(hook.origin()).isEqualTo(FILE + ":6");
        NotificationTarget chat = targets.get(1);
        assertThat(chat.events()).containsExactly(NotificationTarget.Event.FAILED);
        assertThat(chat.severity()).isEqualTo(NotificationTarget.Severity.ERROR);
        assertThat(chat.digest()).isEqualTo(NotificationTarget.Digest.EVENT);
        assertThat(chat.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(targets.get(3).url()).isEqualTo("https://events.example.com/driftwarden");
        NotificationTarget.Email mail = targets.get(4).email();
        assertThat(mail.host()).isEqualTo("smtp.example.com");
        assertThat(mail.port()).isEqualTo(587);
        assertThat(mail.startTls()).isTrue();
        assertThat(mail.passwordFrom()).isEqualTo(new SecretRef("env", "SMTP_PASSWORD"));
        assertThat(mail.to()).containsExactly("team-a@example.com", "ops@example.com");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a Slack URL written in the config (a secret in clear)",
                        "  - {name: chat, type: slack, url: \"https://hooks.slack.com/services/T0/B0/XXXX\"}",
                        FILE + ":6: notification 'chat': url: a Slack webhook URL is a secret (whoever has it can post): give it by "
                                + "reference, urlFrom: env:NAME or file:PATH"),
                Arguments.of("a Teams URL written in the config",
                        "  - {name: t, type: msteams, url: \"https://example.webhook.office.com/x\"}",
                        FILE + ":6: notification 't': url: a Microsoft Teams webhook URL is a secret (whoever has it can post): give it "
                                + "by reference, urlFrom: env:NAME or file:PATH"),
                Arguments.of("a webhook URL with a password in it",
                        "  - {name: h, type: webhook, url: \"https://user:hunter2@hooks.example.com/x\"}",
                        FILE + ":6: notification 'h': url: a URL with credentials in it is a secret: give it by reference, urlFrom: "
                                + "env:NAME or file:PATH"),
                Arguments.of("a webhook to a file URL",
                        "  - {name: h, type: webhook, url: \"file:///etc/passwd\"}",
                        FILE + ":6: notification 'h': url: must be an http:// or https:// URL with a host"),
                Arguments.of("an HMAC key given by value",
                        "  - {name: h, type: webhook, url: \"https://h.example.com\", hmacKeyFrom: s3cr3t}",
                        FILE + ":6: notification 'h': hmacKeyFrom: expected env:NAME or file:PATH, got 's3cr3t'"),
                Arguments.of("both url and urlFrom",
                        "  - {name: h, type: cloudevents, url: \"https://h.example.com\", urlFrom: env:X}",
                        FILE + ":6: notification 'h': set url (an address that is not a secret) or urlFrom (env:NAME or file:PATH), exactly one"),
                Arguments.of("a Slack target without its address",
                        "  - {name: chat, type: slack}",
                        FILE + ":6: notification 'chat': missing required key 'urlFrom' (env:NAME or file:PATH holding the webhook URL)"),
                Arguments.of("an unknown type",
                        "  - {name: x, type: pager, urlFrom: env:X}",
                        FILE + ":6: notification 'x': type must be slack, msteams, webhook, cloudevents or email, not 'pager'"),
                Arguments.of("an unknown event",
                        "  - {name: h, type: webhook, urlFrom: env:X, events: [drift, deploy]}",
                        FILE + ":6: notification 'h': events: unknown event 'deploy' (known: drift, corrected, failed, refused, health, prune)"),
                Arguments.of("a binding that does not exist",
                        "  - {name: h, type: webhook, urlFrom: env:X, bindings: [team-b]}",
                        FILE + ":6: notification 'h': bindings: no binding named 'team-b'"),
                Arguments.of("an unknown digest",
                        "  - {name: h, type: webhook, urlFrom: env:X, digest: hourly}",
                        FILE + ":6: notification 'h': digest must be run or event, not 'hourly'"),
                Arguments.of("an HMAC key on Slack",
                        "  - {name: chat, type: slack, urlFrom: env:X, hmacKeyFrom: env:K}",
                        FILE + ":6: notification 'chat': hmacKeyFrom is for webhook and cloudevents targets; slack checks its own URL"),
                Arguments.of("an SMTP password by value",
                        "  - {name: m, type: email, smtp: {host: mx, username: u, password: hunter2}, from: a@b.c, to: [d@e.f]}",
                        FILE + ":6: unknown key 'password' in smtp (known: caFile, host, passwordFrom, port, startTLS, username, usernameFrom)"),
                Arguments.of("a CA for a connection that stays plain",
                        "  - {name: m, type: email, smtp: {host: mx, startTLS: false, caFile: ca.pem}, from: a@b.c, to: [d@e.f]}",
                        FILE + ":6: notification 'm': smtp.caFile is the CA for STARTTLS; it needs startTLS: true"),
                Arguments.of("an e-mail target with no recipient",
                        "  - {name: m, type: email, smtp: {host: mx}, from: a@b.c, to: []}",
                        FILE + ":6: notification 'm': to must name at least one recipient address"),
                Arguments.of("a header injected into a recipient",
                        "  - {name: m, type: email, smtp: {host: mx}, from: a@b.c, to: [\"d@e.f\\nBcc: x@evil.example\"]}",
                        FILE + ":6: notification 'm': 'd@e.f\nBcc: x@evil.example' is not an e-mail address (name@host)"),
                Arguments.of("a timeout that is no duration",
                        "  - {name: h, type: webhook, urlFrom: env:X, timeout: forever}",
                        FILE + ":6: notification: 'timeout' must be a duration such as 500ms, 30s or 1m30s, not 'forever'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithFileLineAndTheKey(String what, String entry, String problem) {
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + entry + "\n", FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(problem));
    }

    @Test
    void twoTargetsMayNotShareAName() {
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + """
                  - {name: h, type: webhook, urlFrom: env:X}
                  - {name: h, type: webhook, urlFrom: env:Y}
                """, FILE)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .containsExactly(FILE + ":7: duplicate notification name 'h' (first declared at line 6)"));
    }

    static Stream<Arguments> selections() {
        return Stream.of(
                Arguments.of(List.of(), List.of(), "any", "any", true),
                Arguments.of(List.of("team-a-*"), List.of(), "team-a-web", "prod", true),
                Arguments.of(List.of("team-a-*"), List.of(), "team-b-web", "prod", false),
                Arguments.of(List.of("team-?-web"), List.of(), "team-b-web", "prod", true),
                Arguments.of(List.of("team-a-*"), List.of("prod"), "team-a-web", "staging", false),
                Arguments.of(List.of(), List.of("prod-*"), "x", "prod-eu", true),
                // a glob is a glob, not a regular expression: a dot is a dot
                Arguments.of(List.of("a.b"), List.of(), "axb", "prod", false),
                Arguments.of(List.of("(.*)"), List.of(), "anything", "prod", false));
    }

    @ParameterizedTest(name = "bindings {0} clusters {1} select {2} on {3}: {4}")
    @MethodSource("selections")
    void selectsBindingsAndClustersByGlob(List<String> bindings, List<String> clusters, String binding, String cluster, boolean selected) {
        NotificationTarget target = new NotificationTarget("t", NotificationTarget.Type.WEBHOOK, "https://h.example.com", null, null,
                Set.of(NotificationTarget.Event.values()), bindings, clusters, NotificationTarget.Severity.INFO,
                NotificationTarget.Digest.RUN, Duration.ofSeconds(1), null, "f:1");
        assertThat(target.selects(binding, cluster)).isEqualTo(selected);
    }

    static Stream<Arguments> wants() {
        return Stream.of(
                Arguments.of(Set.of(NotificationTarget.Event.DRIFT), NotificationTarget.Severity.INFO, Set.of(NotificationTarget.Event.DRIFT), true),
                Arguments.of(Set.of(NotificationTarget.Event.DRIFT), NotificationTarget.Severity.INFO, Set.of(NotificationTarget.Event.CORRECTED), false),
                Arguments.of(Set.of(NotificationTarget.Event.values()), NotificationTarget.Severity.ERROR,
                        Set.of(NotificationTarget.Event.DRIFT, NotificationTarget.Event.CORRECTED), false),
                Arguments.of(Set.of(NotificationTarget.Event.values()), NotificationTarget.Severity.ERROR,
                        Set.of(NotificationTarget.Event.DRIFT, NotificationTarget.Event.FAILED), true),
                Arguments.of(Set.of(NotificationTarget.Event.HEALTH), NotificationTarget.Severity.ERROR, Set.of(NotificationTarget.Event.HEALTH), true),
                Arguments.of(Set.of(NotificationTarget.Event.values()), NotificationTarget.Severity.INFO, Set.of(), false));
    }

    @ParameterizedTest(name = "events {0} at {1} want {2}: {3}")
    @MethodSource("wants")
    void wantsWhatItsEventsAndSeverityAskFor(Set<NotificationTarget.Event> events, NotificationTarget.Severity severity,
            Set<NotificationTarget.Event> happened, boolean wanted) {
        NotificationTarget target = new NotificationTarget("t", NotificationTarget.Type.WEBHOOK, "https://h.example.com", null, null,
                events, List.of(), List.of(), severity, NotificationTarget.Digest.RUN, Duration.ofSeconds(1), null, "f:1");
        assertThat(target.wants(happened)).isEqualTo(wanted);
    }

    @Test
    void validateEnvironmentChecksEachTargetsSecretsByReferenceNeverShowingAValue(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        // given a target whose URL file holds no URL, one whose key file is missing, and a mail login left unset
        java.nio.file.Files.writeString(tmp.resolve("hook-url"), "not-a-url-but-a-s3cret\n");
        java.nio.file.Files.writeString(tmp.resolve("slack-url"), "https://hooks.slack.com/services/T0/B0/XXXX\n");
        DriftwardenConfig config = ConfigLoader.parse(BASE + """
                  - {name: hook, type: webhook, urlFrom: "file:hook-url", hmacKeyFrom: "file:no-such-key"}
                  - {name: chat, type: slack, urlFrom: "file:slack-url"}
                  - {name: mail, type: email, smtp: {host: mx, username: u, passwordFrom: env:DRIFTWARDEN_TEST_SURELY_UNSET_VARIABLE},
                     from: a@b.c, to: [d@e.f]}
                """, tmp.resolve("driftwarden.yaml"));

        // then each problem names the reference and its line, and no value appears
        assertThat(EnvironmentCheck.notificationProblems(config)).containsExactly(
                tmp.resolve("driftwarden.yaml") + ":6: notification 'hook': urlFrom: file:" + tmp.resolve("hook-url")
                        + " does not hold an http:// or https:// URL",
                tmp.resolve("driftwarden.yaml") + ":6: notification 'hook': hmacKeyFrom: cannot read secret file " + tmp.resolve("no-such-key"),
                tmp.resolve("driftwarden.yaml") + ":8: notification 'mail': smtp.passwordFrom: environment variable "
                        + "DRIFTWARDEN_TEST_SURELY_UNSET_VARIABLE is not set");
        assertThat(EnvironmentCheck.daemonProblems(config)).containsAll(EnvironmentCheck.notificationProblems(config))
                .noneMatch(problem -> problem.contains("s3cret") || problem.contains("XXXX"));
    }
}
