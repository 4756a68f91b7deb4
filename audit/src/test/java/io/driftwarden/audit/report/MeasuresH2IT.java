package io.driftwarden.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.AuditSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The measures of a fixed audit table in a real H2 file: golden (the same file as on PostgreSQL), and equal to the summary. */
class MeasuresH2IT {

    @TempDir
    Path tmp;

    @Test
    void countsTheFixedTrailAsTheGoldenFileSays() throws Exception {
        // given
        AuditTrailFixture.HandClock clock = new AuditTrailFixture.HandClock();
        try (AuditLog log = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), clock)) {
            AuditTrailFixture.fill(log, clock);

            // when
            Compliance compliance = AuditTrailFixture.compliance(log);

            // then
            Measures m = compliance.measures();
            Measures.Group web = m.binding("prod-eu", "web");
            assertThat(web.count(Measure.FOUND)).isEqualTo(6);
            assertThat(web.count(Measure.CORRECTED)).isEqualTo(4);
            assertThat(web.count(Measure.EXCEPTED)).isEqualTo(1);
            assertThat(web.count(Measure.OPEN)).isEqualTo(1);
            assertThat(web.medianTimeToCorrect()).isEqualTo(Duration.ofSeconds(1801));
            assertThat(web.p90TimeToCorrect()).isEqualTo(Duration.ofSeconds(3602));
            assertThat(web.meanTimeToCorrect()).isEqualTo(Duration.ofMillis(2_251_375));
            assertThat(m.recurring()).singleElement().satisfies(r -> {
                assertThat(r.subject()).isEqualTo("Deployment/web/frontend");
                assertThat(r.path()).isEqualTo("spec.replicas");
                assertThat(r.drifts()).isEqualTo(3);
                assertThat(r.managers()).containsExactly("kubectl-edit", "kubectl-scale");
            });
            assertThat(m.coverage().get(m.coverage().size() - 1).percent()).isEqualByComparingTo("66.7");
            AuditTrailFixture.assertSummaryAgrees(log, m);
            AuditTrailFixture.assertGolden(AuditTrailFixture.json(compliance));
            AuditTrailFixture.assertGolden("expected-measures.html", AuditTrailFixture.html(log, compliance));
        }
    }

    @Test
    void aLowerThresholdFindsMoreRecurrenceAndAnEmptyRangeCountsNothing() throws Exception {
        AuditTrailFixture.HandClock clock = new AuditTrailFixture.HandClock();
        try (AuditLog log = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), clock)) {
            AuditTrailFixture.fill(log, clock);

            Measures two = Measures.of(log, AuditTrailFixture.PERIOD, null, 2);
            Measures none = Measures.of(log, new io.driftwarden.audit.ReportFilter(AuditTrailFixture.UNTIL.plusSeconds(86_400),
                    null, null, null), null, 3);

            assertThat(two.recurringPaths()).isEqualTo(1);
            assertThat(Measures.of(log, AuditTrailFixture.PERIOD, null, 1).recurringPaths())
                    .as("every object path that drifted at all").isEqualTo(5);
            assertThat(none.bindings()).isEmpty();
            assertThat(none.total().count(Measure.FOUND)).isZero();
            assertThat(none.total().medianTimeToCorrect()).isNull();
        }
    }
}
