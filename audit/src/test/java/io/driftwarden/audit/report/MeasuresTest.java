package io.driftwarden.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The measures on row sequences as runs write them. A row is {@code run seconds EVENT DRIFT_TYPE ACTION paths}: paths
 * comma-separated, {@code -} for a whole object, {@code @binding} for a row about the binding (no object). The
 * expected line is {@code found corrected failed left bindingFailures | mean time to correct in seconds}.
 */
class MeasuresTest {

    static Stream<Arguments> trails() {
        return Stream.of(
                Arguments.of("plan twice, then run: one drift per path, not one per row", List.of(
                        "plan-1 0 DETECTED MODIFIED SKIPPED spec.replicas,spec.template.spec.containers[name=web].image",
                        "plan-2 3600 DETECTED MODIFIED SKIPPED spec.replicas,spec.template.spec.containers[name=web].image",
                        "run-3 7200 INTENT MODIFIED CONFIGURED spec.replicas,spec.template.spec.containers[name=web].image",
                        "run-3 7201.5 CORRECTED MODIFIED CONFIGURED spec.replicas,spec.template.spec.containers[name=web].image"),
                        "2 2 0 0 0 | 7201.5"),
                Arguments.of("corrected at once: intent and outcome are one drift", List.of(
                        "run-1 0 INTENT MODIFIED CONFIGURED spec.replicas",
                        "run-1 1.853 CORRECTED MODIFIED CONFIGURED spec.replicas"),
                        "1 1 0 0 0 | 1.853"),
                Arguments.of("a failed correction, then a success in the next run", List.of(
                        "run-1 0 INTENT MODIFIED CONFIGURED data.password",
                        "run-1 1 FAILED MODIFIED CONFIGURED data.password",
                        "run-2 600 INTENT MODIFIED CONFIGURED data.password",
                        "run-2 601 CORRECTED MODIFIED CONFIGURED data.password"),
                        "1 1 0 0 0 | 601"),
                Arguments.of("a failed correction, then a plan: still failed", List.of(
                        "run-1 0 INTENT MODIFIED CONFIGURED data.password",
                        "run-1 1 FAILED MODIFIED CONFIGURED data.password",
                        "plan-2 60 DETECTED MODIFIED SKIPPED data.password"),
                        "1 0 1 0 0 | –"),
                Arguments.of("an extra object pruned", List.of(
                        "run-1 0 INTENT EXTRA DELETED -",
                        "run-1 0.25 CORRECTED EXTRA DELETED -"),
                        "1 1 0 0 0 | 0.25"),
                Arguments.of("an extra object kept without prune, in two runs", List.of(
                        "run-1 0 DETECTED EXTRA SKIPPED -",
                        "run-2 60 DETECTED EXTRA SKIPPED -"),
                        "1 0 0 1 0 | –"),
                Arguments.of("a drift left in audit mode for three runs", List.of(
                        "audit-1 0 DETECTED MODIFIED SKIPPED spec.replicas",
                        "audit-2 60 DETECTED MODIFIED SKIPPED spec.replicas",
                        "audit-3 120 DETECTED MODIFIED SKIPPED spec.replicas"),
                        "1 0 0 1 0 | –"),
                Arguments.of("corrected, then drifted again: two drifts", List.of(
                        "run-1 0 INTENT MODIFIED CONFIGURED spec.replicas",
                        "run-1 2 CORRECTED MODIFIED CONFIGURED spec.replicas",
                        "plan-2 100 DETECTED MODIFIED SKIPPED spec.replicas"),
                        "2 1 0 1 0 | 2"),
                Arguments.of("a second path drifts before the correction", List.of(
                        "plan-1 0 DETECTED MODIFIED SKIPPED spec.replicas",
                        "run-2 100 INTENT MODIFIED CONFIGURED spec.replicas,metadata.labels.tier",
                        "run-2 101 CORRECTED MODIFIED CONFIGURED spec.replicas,metadata.labels.tier"),
                        "2 2 0 0 0 | 51"),
                Arguments.of("a write tenancy refuses is left in place", List.of(
                        "run-1 0 REFUSED MISSING REFUSED -"),
                        "1 0 0 1 0 | –"),
                Arguments.of("an intent whose run stopped: left until an outcome is recorded", List.of(
                        "run-1 0 INTENT MISSING CREATED -"),
                        "1 0 0 1 0 | –"),
                Arguments.of("a binding that failed to render is no drift, but a binding failure", List.of(
                        "run-1 0 FAILED - FAILED @binding",
                        "run-2 60 FAILED - FAILED @binding"),
                        "0 0 0 0 2 | –"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trails")
    void countsEachDriftOnceAndEndsItInOneOutcome(String trail, List<String> rows, String expected) throws IOException {
        // given
        List<AuditRecord> records = records(rows);

        // when
        Summary.BindingSummary summary = Summary.of(Rows.of(records), Map.of()).bindings().get(0);

        // then
        String counts = summary.driftsFound() + " " + summary.corrected() + " " + summary.failed() + " " + summary.left() + " "
                + summary.bindingFailures() + " | " + (summary.meanTimeToCorrect() == null ? "–"
                : Summary.seconds(summary.meanTimeToCorrect()).toPlainString());
        assertThat(counts).as(trail).isEqualTo(expected);
        assertThat(summary.driftsFound()).isEqualTo(summary.corrected() + summary.failed() + summary.left());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exceptions")
    void anExceptionCoversADriftOnlyWhileItsRowsSaySo(String trail, List<String> rows, String expected) throws IOException {
        Summary.BindingSummary summary = Summary.of(Rows.of(records(rows)), Map.of()).bindings().get(0);

        String counts = "found " + summary.driftsFound() + " corrected " + summary.corrected() + " excepted " + summary.excepted()
                + " failed " + summary.failed() + " left " + summary.left() + " open " + summary.count(Measure.OPEN);
        assertThat(counts).as(trail).isEqualTo(expected);
        assertThat(summary.driftsFound()).isEqualTo(summary.corrected() + summary.excepted() + summary.failed() + summary.left());
    }

    static Stream<Arguments> exceptions() {
        return Stream.of(
                Arguments.of("excepted in two runs: one drift, excepted, not open", List.of(
                        "run-1 0 EXCEPTED MODIFIED SKIPPED spec.replicas",
                        "run-2 60 EXCEPTED MODIFIED SKIPPED spec.replicas"),
                        "found 1 corrected 0 excepted 1 failed 0 left 0 open 0"),
                Arguments.of("the exception expired and the drift was corrected: one drift, corrected", List.of(
                        "run-1 0 EXCEPTED MODIFIED SKIPPED spec.replicas",
                        "run-2 60 INTENT MODIFIED CONFIGURED spec.replicas",
                        "run-2 61 CORRECTED MODIFIED CONFIGURED spec.replicas"),
                        "found 1 corrected 1 excepted 0 failed 0 left 0 open 0"),
                Arguments.of("the exception expired in audit mode: the drift is open again", List.of(
                        "run-1 0 EXCEPTED MODIFIED SKIPPED spec.replicas",
                        "plan-2 60 DETECTED MODIFIED SKIPPED spec.replicas"),
                        "found 1 corrected 0 excepted 0 failed 0 left 1 open 1"),
                Arguments.of("a failed correction, then an exception: excepted", List.of(
                        "run-1 0 INTENT MODIFIED CONFIGURED spec.replicas",
                        "run-1 1 FAILED MODIFIED CONFIGURED spec.replicas",
                        "run-2 60 EXCEPTED MODIFIED SKIPPED spec.replicas"),
                        "found 1 corrected 0 excepted 1 failed 0 left 0 open 0"));
    }

    @Test
    void tellsEachDriftsStoryOnOneLine() throws IOException {
        List<AuditRecord> records = records(List.of(
                "plan-1 0 DETECTED MODIFIED SKIPPED spec.template.spec.containers[name=web].env[name=DEBUG]",
                "plan-2 60 DETECTED MODIFIED SKIPPED spec.template.spec.containers[name=web].env[name=DEBUG]",
                "run-3 120 INTENT MODIFIED CONFIGURED spec.template.spec.containers[name=web].env[name=DEBUG]",
                "run-3 121 FAILED MODIFIED CONFIGURED spec.template.spec.containers[name=web].env[name=DEBUG]",
                "run-4 180 INTENT MODIFIED CONFIGURED spec.template.spec.containers[name=web].env[name=DEBUG]",
                "run-4 181 CORRECTED MODIFIED CONFIGURED spec.template.spec.containers[name=web].env[name=DEBUG]"));

        Summary.DriftLine drift = Summary.of(Rows.of(records), Map.of()).drifts().get(0);

        assertThat(drift.subject()).isEqualTo("Deployment/shop/api");
        assertThat(drift.changedBy()).isEqualTo("kubectl-set");
        assertThat(drift.done()).isEqualTo("DETECTED ×2 → INTENT CONFIGURED → FAILED → INTENT CONFIGURED → CORRECTED");
        assertThat(drift.runs()).isEqualTo(4);
        assertThat(drift.outcome()).isEqualTo(Measure.CORRECTED);
        assertThat(drift.timeToCorrect()).isEqualTo(Duration.ofSeconds(181));
        assertThat(drift.error()).isEqualTo("apply failed");
    }

    @ParameterizedTest(name = "{0} at {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "'7',                    0.5, 7",
        "'7',                    0.9, 7",
        "'500,1801000,3602000,3602000', 0.5, 1801000",
        "'500,1801000,3602000,3602000', 0.9, 3602000",
        "'1,2,3,4,5,6,7,8,9,10', 0.5, 5",
        "'1,2,3,4,5,6,7,8,9,10', 0.9, 9",
        "'1,2,3,4,5,6,7,8,9,10,11', 0.9, 10"})
    void percentilesAreNearestRankAnObservedValue(String values, double p, long expected) {
        long[] sorted = java.util.Arrays.stream(values.split(",")).mapToLong(Long::parseLong).sorted().toArray();

        assertThat(Measures.nearestRank(sorted, p)).isEqualTo(expected);
    }

    @Test
    void countsObjectsWhoseLastHealthInTheRangeIsFailedAndTheirRunAsNotSuccessful() throws IOException {
        Instant t = Instant.parse("2026-11-28T02:00:00Z");
        List<AuditRecord> records = List.of(
                health(1, t, "run-1", "api", "Failed"), health(2, t.plusSeconds(1), "run-1", "web", "InProgress"),
                health(3, t.plusSeconds(60), "run-2", "api", "Current"), health(4, t.plusSeconds(61), "run-2", "worker", "Failed"),
                health(5, t.plusSeconds(120), "run-3", "web", "Current"));

        Summary.BindingSummary summary = Summary.of(Rows.of(records), Map.of()).bindings().get(0);

        assertThat(summary.healthFailed()).as("api recovered, worker did not").isEqualTo(1);
        assertThat(summary.count(Measure.HEALTH_FAILED)).isEqualTo(1);
        assertThat(summary.driftsFound()).as("health is no drift").isZero();
        assertThat(summary.lastSuccessfulRun()).as("run-2 had a Failed object").isEqualTo(t.plusSeconds(120));
    }

    private static AuditRecord health(long seq, Instant time, String run, String name, String state) {
        return new AuditRecord(seq, time, new AuditEntry(run, "manual", "shop", "file:///git", "9a1df0b23ddcb0554505e456250558b1f73815ae",
                "prod", "shop", "apps", "v1", "Deployment", name, EventType.HEALTH, null, null, null, null, null)
                .withDetails(AuditEntry.Details.NONE.withHealth(state, state + " by the rules")), "0".repeat(64), "a".repeat(64));
    }

    @Test
    void showsDurationsInSecondsToTheMillisecond() {
        assertThat(Summary.seconds(Duration.ofMillis(1853))).isEqualTo(new BigDecimal("1.853"));
        assertThat(Summary.seconds(Duration.ofSeconds(7384)).toPlainString()).isEqualTo("7384");
        assertThat(Summary.seconds(Duration.ofMillis(500)).toPlainString()).isEqualTo("0.5");
    }

    private static List<AuditRecord> records(List<String> rows) {
        Instant start = Instant.parse("2026-11-28T02:00:00Z");
        List<AuditRecord> records = new ArrayList<>();
        for (String row : rows) {
            String[] f = row.split(" ");
            Instant time = start.plusMillis(new BigDecimal(f[1]).movePointRight(3).longValueExact());
            boolean binding = f[5].equals("@binding");
            String paths = f[5].equals("-") || binding ? null : f[5].replace(',', '\n');
            String diff = paths == null ? null : paths.lines().map(p -> "~ " + p + ": absent -> x (added by kubectl-set)")
                    .reduce((a, b) -> a + "\n" + b).orElse(null);
            EventType event = EventType.valueOf(f[2]);
            String error = event == EventType.FAILED ? "apply failed" : null;
            AuditEntry entry = binding
                    ? new AuditEntry(f[0], "manual", "shop", "file:///git", null, "prod", "shop", null, null, null, null, event,
                    null, f[4], null, null, error)
                    : new AuditEntry(f[0], "manual", "shop", "file:///git", "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod",
                    "shop", "apps", "v1", "Deployment", "api", event, f[3], f[4], paths, diff, error);
            records.add(new AuditRecord(records.size() + 1, time, entry, "0".repeat(64), "a".repeat(64)));
        }
        return records;
    }
}
