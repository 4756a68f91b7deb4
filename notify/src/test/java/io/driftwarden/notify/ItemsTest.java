package io.driftwarden.notify;

import static io.driftwarden.config.NotificationTarget.Event.CORRECTED;
import static io.driftwarden.config.NotificationTarget.Event.DRIFT;
import static io.driftwarden.config.NotificationTarget.Event.FAILED;
import static io.driftwarden.config.NotificationTarget.Event.HEALTH;
import static io.driftwarden.config.NotificationTarget.Event.PRUNE;
import static io.driftwarden.config.NotificationTarget.Event.REFUSED;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.config.NotificationTarget.Event;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How a run's rows fold into items: which events each story counts as, and what it says was done. */
class ItemsTest {

    static Stream<Arguments> stories() {
        AuditEntry.Details failedHealth = AuditEntry.Details.NONE.withHealth("Failed", "ProgressDeadlineExceeded");
        return Stream.of(
                Arguments.of("drift left in place (audit mode)",
                        List.of(Rows.row("shop", "Deployment", "web", EventType.DETECTED, "MODIFIED", "SKIPPED", "/spec/replicas")),
                        Set.of(DRIFT), "drift left in place"),
                Arguments.of("drift corrected: the intent and its outcome are one story",
                        List.of(Rows.row("shop", "Deployment", "web", EventType.INTENT, "MODIFIED", "CONFIGURED", "/spec/replicas"),
                                Rows.row("shop", "Deployment", "web", EventType.CORRECTED, "MODIFIED", "CONFIGURED", "/spec/replicas")),
                        Set.of(DRIFT, CORRECTED), "corrected (configured)"),
                Arguments.of("a correction that failed",
                        List.of(Rows.row("shop", "Deployment", "web", EventType.INTENT, "MODIFIED", "CONFIGURED", "/spec"),
                                Rows.row("shop", "Deployment", "web", EventType.FAILED, "MODIFIED", "CONFIGURED", "/spec", "Conflict", AuditEntry.Details.NONE)),
                        Set.of(DRIFT, FAILED), "correction failed (configured)"),
                Arguments.of("an object pruned because it left Git",
                        List.of(Rows.row("shop", "ConfigMap", "old", EventType.INTENT, "EXTRA", "DELETED", null),
                                Rows.row("shop", "ConfigMap", "old", EventType.CORRECTED, "EXTRA", "DELETED", null)),
                        Set.of(DRIFT, CORRECTED, PRUNE), "pruned (deleted: it left Git)"),
                Arguments.of("a write tenancy refused",
                        List.of(Rows.row("shop", "ClusterRole", "admin", EventType.REFUSED, "MISSING", "REFUSED", null,
                                "cluster-scoped kind not allowed", AuditEntry.Details.NONE)),
                        Set.of(DRIFT, REFUSED), "write refused"),
                Arguments.of("a commit refused (no object)",
                        List.of(Rows.row("shop", null, null, EventType.REFUSED, null, "REFUSED", null, "unsigned commit", AuditEntry.Details.NONE)),
                        Set.of(REFUSED), "commit refused, nothing applied"),
                Arguments.of("a binding that failed to render",
                        List.of(Rows.row("shop", null, null, EventType.FAILED, null, "FAILED", null, "a.yaml:3: bad", AuditEntry.Details.NONE)),
                        Set.of(FAILED), "binding failed"),
                Arguments.of("corrected, then its health failed (a HEALTH row after)",
                        List.of(Rows.row("shop", "Deployment", "web", EventType.CORRECTED, "MODIFIED", "CONFIGURED", "/spec/template"),
                                Rows.row("shop", "Deployment", "web", EventType.HEALTH, null, null, null, null, failedHealth)),
                        Set.of(CORRECTED, HEALTH), "corrected (configured)"),
                Arguments.of("health columns on the outcome row count the same",
                        List.of(Rows.row("shop", "Deployment", "web", EventType.CORRECTED, "MODIFIED", "CONFIGURED", "/spec", null, failedHealth)),
                        Set.of(CORRECTED, HEALTH), "corrected (configured)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stories")
    void foldsEachObjectsRowsIntoOneItem(String what, List<AuditRecord> rows, Set<Event> events, String done) {
        List<Item> items = Items.of(rows);

        assertThat(items).hasSize(1);
        assertThat(items.get(0).events()).isEqualTo(events);
        assertThat(items.get(0).done()).isEqualTo(done);
    }

    @Test
    void healthyObjectsAndRowsADigestDoesNotTellMakeNoItem() {
        List<AuditRecord> rows = List.of(
                Rows.row("shop", "Deployment", "web", EventType.HEALTH, null, null, null, null,
                        AuditEntry.Details.NONE.withHealth("Current", "rollout complete")),
                Rows.row("shop", "ConfigMap", "x", EventType.UNMANAGED, null, null, null),
                Rows.row("shop", null, null, EventType.WINDOW, null, null, null, "deny window", AuditEntry.Details.NONE),
                Rows.row("-", null, null, EventType.NOTIFY_FAILED, null, null, null, "notification 'x': HTTP 500", AuditEntry.Details.NONE));

        assertThat(Items.of(rows)).isEmpty();
    }

    @Test
    void anExceptedDriftKeepsItsExceptionAndCountsAsNoEvent() {
        List<Item> items = Items.of(List.of(Rows.row("shop", "ConfigMap", "flags", EventType.EXCEPTED, "MODIFIED", "SKIPPED", "/data/x",
                null, AuditEntry.Details.NONE.withException("freeze-q4"))));

        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.events()).isEmpty();
            assertThat(item.exception()).isEqualTo("freeze-q4");
            assertThat(item.done()).isEqualTo("left in place: covered by exception freeze-q4");
        });
    }

    @Test
    void whoChangedEachPathComesFromChangedByAndFallsBackToThePathAlone() {
        List<Item> items = Items.of(List.of(Rows.row("shop", "Deployment", "web", EventType.DETECTED, "MODIFIED", "SKIPPED",
                "/spec/replicas\n/metadata/labels/tier", null,
                AuditEntry.Details.NONE.withChangedBy("/spec/replicas\tkubectl-edit\t2026-12-03T01:02:03Z\n/metadata/labels/tier\tunknown\t"))));

        assertThat(items.get(0).pathChanges()).extracting(PathChange::describe)
                .containsExactly("/spec/replicas (kubectl-edit, 2026-12-03T01:02:03Z)", "/metadata/labels/tier");
    }

    @Test
    void withoutChangedByTheManagerComesFromWhatTheRowsDiffAlreadySays() {
        AuditEntry entry = new AuditEntry("run-1", "manual", "shop", null, null, "prod", "shop", "apps", "v1", "Deployment", "web",
                EventType.DETECTED, "MODIFIED", "SKIPPED", "metadata.labels.oncall\nspec.replicas",
                "~ metadata.labels.oncall: \"me\" -> absent (added by kubectl-label)\n~ spec.replicas: 3 -> 2 (differs from Git)", null);

        List<Item> items = Items.of(List.of(new AuditRecord(1, java.time.Instant.EPOCH, entry, "p", "h")));

        assertThat(items.get(0).pathChanges()).extracting(PathChange::describe)
                .containsExactly("metadata.labels.oncall (kubectl-label)", "spec.replicas");
    }
}
