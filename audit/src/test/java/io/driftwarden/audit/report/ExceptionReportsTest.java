package io.driftwarden.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.config.ExceptionSpec;
import io.driftwarden.config.Glob;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exceptions and attribution in the reports: a drift held by an exception is counted {@code excepted} (not left), the
 * same drift once its exception expired is corrected, and the exceptions section lists each exception as active,
 * expiring within 14 days or expired at the report's instant. Golden files next to this test.
 */
class ExceptionReportsTest {

    private static final String CHANGED_BY = "spec.replicas\tkubectl-edit\t2026-12-03T02:14:07Z";
    private static final String DIFF = "~ spec.replicas: 5 -> 2 (differs from Git, changed by kubectl-edit at 2026-12-03T02:14Z)";

    static final List<AuditRecord> RECORDS = List.of(
            row(1, "2026-12-03T03:00:00Z", "run-1", EventType.EXCEPTED, "SKIPPED", "covered by exception hotfix-replicas", "hotfix-replicas"),
            row(2, "2026-12-04T03:00:00Z", "run-2", EventType.EXCEPTED, "SKIPPED", "covered by exception hotfix-replicas", "hotfix-replicas"),
            row(3, "2026-12-11T03:00:00Z", "run-3", EventType.EXPIRED, null, "exception hotfix-replicas expired", "hotfix-replicas"),
            row(4, "2026-12-11T03:00:01Z", "run-3", EventType.INTENT, "CONFIGURED", null, null),
            row(5, "2026-12-11T03:00:02Z", "run-3", EventType.CORRECTED, "CONFIGURED", null, null),
            row(6, "2026-12-11T03:00:03Z", "run-3", EventType.EXCEPTED, "SKIPPED", "covered by exception canary-image", "canary-image"));

    private static AuditRecord row(long seq, String time, String run, EventType event, String action, String error, String exception) {
        String name = exception != null && exception.equals("canary-image") ? "canary" : "frontend";
        AuditEntry.Details details = AuditEntry.Details.NONE.withChangedBy(CHANGED_BY);
        return new AuditRecord(seq, Instant.parse(time), new AuditEntry(run, "cron", "web-prod", "file:///srv/git/platform.git",
                "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod", "web", "apps", "v1", "Deployment", name, event, "MODIFIED", action,
                "spec.replicas", DIFF, error).withDetails(exception == null ? details : details.withException(exception)),
                String.valueOf(seq - 1).repeat(64), String.valueOf(seq).repeat(64));
    }

    static final ExceptionStatus STATUS = ExceptionStatus.of(List.of(
            exception("hotfix-replicas", LocalDate.of(2026, 12, 10), "spec.replicas"),
            exception("canary-image", LocalDate.of(2026, 12, 20), "spec.template.spec.containers[name=web].image"),
            exception("quota-bump", LocalDate.of(2027, 2, 1), "/spec/hard/cpu")), Instant.parse("2026-12-11T12:00:00Z"));

    private static ExceptionSpec exception(String name, LocalDate expires, String path) {
        return new ExceptionSpec(name, Glob.of("web-*"), Glob.ANY, Glob.of("web"), "Deployment", Glob.of("frontend"),
                List.of(ExceptionSpec.PathPattern.parse(path)), "scaled by hand during the incident <INC-7>", "platform-lead@example.com",
                "CHG-1234", expires, "driftwarden.yaml:40");
    }

    @Test
    void listsEachExceptionAsActiveExpiringOrExpired() {
        assertThat(STATUS.expired()).extracting(ExceptionSpec::name).containsExactly("hotfix-replicas");
        assertThat(STATUS.expiring()).extracting(ExceptionSpec::name).containsExactly("canary-image");
        assertThat(STATUS.active()).extracting(ExceptionSpec::name).containsExactly("quota-bump");
    }

    @Test
    void countsAnExceptedDriftOnceAndTheSameDriftCorrectedAfterItsExceptionExpired() throws IOException {
        Summary summary = Summary.of(Rows.of(RECORDS), Map.of("web-prod", 2));

        Summary.BindingSummary web = summary.bindings().get(0);
        assertThat(web.count(Measure.FOUND)).isEqualTo(2);
        assertThat(web.count(Measure.CORRECTED)).isEqualTo(1);
        assertThat(web.count(Measure.EXCEPTED)).isEqualTo(1);
        assertThat(web.count(Measure.LEFT)).isZero();
        assertThat(summary.drifts()).extracting(Summary.DriftLine::changedBy).containsOnly("kubectl-edit at 2026-12-03T02:14:07Z");
        assertThat(summary.drifts().get(0).done()).isEqualTo("EXCEPTED ×2 → EXPIRED → INTENT CONFIGURED → CORRECTED");
    }

    @Test
    void writesTheExceptionsSectionAndTheChangedByColumnInJsonHtmlAndCsv() throws IOException {
        Summary summary = Summary.of(Rows.of(RECORDS), Map.of("web-prod", 2));
        StringWriter json = new StringWriter();
        StringWriter html = new StringWriter();
        StringBuilder csv = new StringBuilder();

        JsonReport.write(summary, STATUS, null, Rows.of(RECORDS), json);
        HtmlReport.write(summary, STATUS, null, Rows.of(RECORDS), "All rows", html);
        CsvReport.write(RECORDS, csv);

        assertGolden("expected-exceptions.json", json.toString());
        assertGolden("expected-exceptions.html", html.toString());
        assertThat(csv.toString().lines().findFirst().orElseThrow()).contains(",error,changed_by,");
        assertThat(csv.toString()).contains(",spec.replicas\tkubectl-edit\t2026-12-03T02:14:07Z,");
        assertThat(html.toString()).contains("&lt;INC-7&gt;").doesNotContain("<INC-7>");
    }

    private static void assertGolden(String name, String actual) throws IOException {
        if (Boolean.getBoolean("golden.regenerate")) {
            Files.writeString(Path.of("src/test/resources/io/driftwarden/audit/report", name), actual, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = ExceptionReportsTest.class.getResourceAsStream(name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
