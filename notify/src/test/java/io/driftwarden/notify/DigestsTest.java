package io.driftwarden.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.EventType;
import io.driftwarden.config.NotificationTarget;
import io.driftwarden.config.NotificationTarget.Event;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What each target gets from one run: one digest, one message per item, or nothing at all. */
class DigestsTest {

    /** A run of two bindings: shop drifted and was corrected; web failed; legacy's drift is covered by an exception. */
    private static final List<Item> RUN = Items.of(List.of(
            Rows.row("shop", "Deployment", "api", EventType.INTENT, "MODIFIED", "CONFIGURED", "/spec/replicas"),
            Rows.row("shop", "Deployment", "api", EventType.CORRECTED, "MODIFIED", "CONFIGURED", "/spec/replicas"),
            Rows.row("shop", "ConfigMap", "flags", EventType.EXCEPTED, "MODIFIED", "SKIPPED", "/data/x", null,
                    AuditEntry.Details.NONE.withException("freeze")),
            Rows.row("web", null, null, EventType.FAILED, null, "FAILED", null, "a.yaml:1: does not parse", AuditEntry.Details.NONE)));

    static Stream<Arguments> targets() {
        Set<Event> all = Set.of(Event.values());
        return Stream.of(
                Arguments.of("everything, one digest", all, List.of(), NotificationTarget.Severity.INFO, NotificationTarget.Digest.RUN,
                        List.of(List.of("Deployment/shop/api", "binding web"))),
                Arguments.of("per event", all, List.of(), NotificationTarget.Severity.INFO, NotificationTarget.Digest.EVENT,
                        List.of(List.of("Deployment/shop/api"), List.of("binding web"))),
                Arguments.of("only shop's bindings", all, List.of("sh*"), NotificationTarget.Severity.INFO, NotificationTarget.Digest.RUN,
                        List.of(List.of("Deployment/shop/api"))),
                Arguments.of("errors only", all, List.of(), NotificationTarget.Severity.ERROR, NotificationTarget.Digest.RUN,
                        List.of(List.of("binding web"))),
                Arguments.of("failures of shop: none, so no message", Set.of(Event.FAILED), List.of("shop"),
                        NotificationTarget.Severity.INFO, NotificationTarget.Digest.RUN, List.of()),
                Arguments.of("prunes: none happened", Set.of(Event.PRUNE), List.of(), NotificationTarget.Severity.INFO,
                        NotificationTarget.Digest.RUN, List.of()),
                Arguments.of("a binding no row names", all, List.of("team-z-*"), NotificationTarget.Severity.INFO,
                        NotificationTarget.Digest.RUN, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void sendsWhatTheTargetSelects(String what, Set<Event> events, List<String> bindings, NotificationTarget.Severity severity,
            NotificationTarget.Digest kind, List<List<String>> messages) {
        NotificationTarget target = Targets.target(NotificationTarget.Type.WEBHOOK, events, bindings, severity, kind);

        List<Digest> digests = Digests.of(target, "run-1", "manual", RUN, Instant.parse("2026-12-03T02:00:00Z"));

        assertThat(digests).extracting(d -> d.items().stream().map(Item::what).toList()).isEqualTo(messages);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aRunDigestCarriesTheExceptedItemsOfItsBindingsOnly(String what, Set<Event> events, List<String> bindings,
            NotificationTarget.Severity severity, NotificationTarget.Digest kind, List<List<String>> messages) {
        NotificationTarget target = Targets.target(NotificationTarget.Type.WEBHOOK, events, bindings, severity, kind);

        for (Digest digest : Digests.of(target, "run-1", "manual", RUN, Instant.parse("2026-12-03T02:00:00Z"))) {
            boolean shopSelected = target.selects("shop", "prod");
            assertThat(digest.excepted()).extracting(Item::what)
                    .isEqualTo(kind == NotificationTarget.Digest.RUN && shopSelected ? List.of("ConfigMap/shop/flags") : List.of());
        }
    }
}
