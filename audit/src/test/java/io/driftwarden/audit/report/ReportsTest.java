package io.driftwarden.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CSV columns are a contract: the golden file next to this test is what users' scripts parse. */
class ReportsTest {

    /**
     * A sample trail: a plan finds two paths drifted on one Deployment; the next night's run corrects them, fails to
     * correct a Secret, cannot render another binding, and sees an object no binding manages. So: 3 drifts found in
     * guestbook (2 corrected after 86401.978 s, 1 failed), 1 binding failure in billing; the corrected Deployment's health
     * afterwards is Failed (its rollout passed its progress deadline).
     */
    static final List<AuditRecord> RECORDS = List.of(
            new AuditRecord(1, Instant.parse("2026-11-27T02:00:00Z"), new AuditEntry("20261127T020000Z-d4e5f6", "manual",
                    "guestbook", "file:///srv/git/platform.git", "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod",
                    "guestbook", "apps", "v1", "Deployment", "frontend", EventType.DETECTED, "MODIFIED", "SKIPPED",
                    "spec.replicas\nspec.template.spec.containers[name=php-redis].image",
                    "~ spec.replicas: 5 -> 3 (differs from Git)\n~ spec.template.spec.containers[name=php-redis].image: \"gb-frontend:hotfix\" -> \"gb-frontend:v5\" (differs from Git)",
                    null), "0".repeat(64), "1".repeat(64)),
            new AuditRecord(2, Instant.parse("2026-11-28T02:00:00.125Z"), new AuditEntry("20261128T020000Z-a1b2c3", "cronjob",
                    "guestbook", "file:///srv/git/platform.git", "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod",
                    "guestbook", "apps", "v1", "Deployment", "frontend", EventType.INTENT, "MODIFIED", "CONFIGURED",
                    "spec.replicas\nspec.template.spec.containers[name=php-redis].image",
                    "~ spec.replicas: 5 -> 3\n~ spec.template.spec.containers[name=php-redis].image: \"gb-frontend:hotfix\" -> \"gb-frontend:v5\"",
                    null), "1".repeat(64), "a".repeat(64)),
            new AuditRecord(3, Instant.parse("2026-11-28T02:00:00.250Z"), new AuditEntry("20261128T020000Z-a1b2c3", "cronjob",
                    "guestbook", "file:///srv/git/platform.git", "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod",
                    "guestbook", "", "v1", "Secret", "redis-credentials", EventType.FAILED, "MODIFIED", "CONFIGURED",
                    "data.password", "~ data.password: *** -> ***", "Secret/guestbook/redis-credentials apply failed: Forbidden, \"quoted\""),
                    "a".repeat(64), "b".repeat(64)),
            new AuditRecord(4, Instant.parse("2026-11-28T02:00:01Z"), new AuditEntry("20261128T020000Z-a1b2c3", "cronjob",
                    "billing", "file:///srv/git/platform.git", null, "prod", "billing", null, null, null, null,
                    EventType.FAILED, null, "FAILED", null, null, "binding billing: manifests do not render:\n  apps/billing/db.yaml:7: duplicate key 'name'")
                    .withDetails(AuditEntry.Details.NONE.withChart("oci://registry.example.com/charts/billing:2.3.1",
                            "sha256:" + "5".repeat(64))),
                    "b".repeat(64), "c".repeat(64)),
            new AuditRecord(5, Instant.parse("2026-11-28T02:00:01.978Z"), new AuditEntry("20261128T020000Z-a1b2c3", "cronjob",
                    "guestbook", "file:///srv/git/platform.git", "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod",
                    "guestbook", "apps", "v1", "Deployment", "frontend", EventType.CORRECTED, "MODIFIED", "CONFIGURED",
                    "spec.replicas\nspec.template.spec.containers[name=php-redis].image",
                    "~ spec.replicas: 5 -> 3\n~ spec.template.spec.containers[name=php-redis].image: \"gb-frontend:hotfix\" -> \"gb-frontend:v5\"",
                    null), "c".repeat(64), "d".repeat(64)),
            new AuditRecord(6, Instant.parse("2026-11-28T02:00:02Z"), new AuditEntry("20261128T020000Z-a1b2c3", "cronjob",
                    "guestbook", "file:///srv/git/platform.git", "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod",
                    "guestbook", "", "v1", "ConfigMap", "scratch", EventType.UNMANAGED, null, null, null, null, null),
                    "d".repeat(64), "e".repeat(64)),
            new AuditRecord(7, Instant.parse("2026-11-28T02:00:09Z"), new AuditEntry("20261128T020000Z-a1b2c3", "cronjob",
                    "guestbook", "file:///srv/git/platform.git", "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod",
                    "guestbook", "apps", "v1", "Deployment", "frontend", EventType.HEALTH, null, null, null, null, null)
                    .withDetails(AuditEntry.Details.NONE.withHealth("Failed",
                            "ProgressDeadlineExceeded: ReplicaSet \"frontend-5d8f\" has timed out progressing.")),
                    "e".repeat(64), "f".repeat(64)));

    @Test
    void writesTheDocumentedColumnsForEveryRow() throws IOException {
        StringBuilder csv = new StringBuilder();

        CsvReport.write(RECORDS, csv);

        assertGolden("expected-report.csv", csv.toString());
    }

    @Test
    void writesJsonWithASummaryAndTheRowsWithTheSameFields() throws IOException {
        StringWriter json = new StringWriter();

        JsonReport.write(Summary.of(Rows.of(RECORDS), Map.of("guestbook", 5)), Rows.of(RECORDS), json);

        assertGolden("expected-report.json", json.toString());
        assertThat(json.toString()).contains("\"driftsFound\" : 3", "\"meanTimeToCorrect\" : \"PT24H1.978S\"",
                "\"meanTimeToCorrectSeconds\" : 86401.978");
    }

    @Test
    void writesOneSelfContainedHtmlPage() throws IOException {
        StringWriter html = new StringWriter();

        HtmlReport.write(Summary.of(Rows.of(RECORDS), Map.of("guestbook", 5)), Rows.of(RECORDS), "All rows", html);

        assertGolden("expected-report.html", html.toString());
        assertThat(html.toString()).contains("86401.978", "9a1df0b23ddcb0554505e456250558b1f73815ae", "cronjob", "file:///srv/git/platform.git")
                .doesNotContain("<script", "src=\"http", "href=\"http", "@import").contains("<svg", "&quot;quoted&quot;");
    }

    @Test
    void theSameRowsGiveTheSameBytesTwice() throws IOException {
        StringWriter first = new StringWriter();
        StringWriter second = new StringWriter();

        HtmlReport.write(Summary.of(Rows.of(RECORDS), Map.of()), Rows.of(RECORDS), "All rows", first);
        HtmlReport.write(Summary.of(Rows.of(RECORDS), Map.of()), Rows.of(RECORDS), "All rows", second);

        assertThat(first.toString()).isEqualTo(second.toString());
    }

    @Test
    void neutralizesCellsASpreadsheetWouldRunAsFormulas() throws IOException {
        AuditRecord formula = new AuditRecord(9, Instant.parse("2026-11-28T03:00:00Z"), new AuditEntry("run", "manual",
                "=HYPERLINK(\"http://evil\")", null, null, "+cmd", null, null, null, null, "@SUM(A1)", EventType.FAILED, null,
                "FAILED", null, "- a.b: 1 -> 2", "\tTAB"), "0".repeat(64), "d".repeat(64));
        StringBuilder csv = new StringBuilder();

        CsvReport.write(List.of(formula), csv);

        String row = csv.toString().lines().skip(1).findFirst().orElseThrow();
        assertThat(row).contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", "'+cmd", "'@SUM(A1)", "'- a.b: 1 -> 2", "'\tTAB")
                .doesNotContain(",=", ",+", ",@");
    }

    /**
     * Compares with the golden file; {@code -Dgolden.regenerate=true} rewrites it instead (then review the diff before
     * committing it).
     */
    private static void assertGolden(String name, String actual) throws IOException {
        if (Boolean.getBoolean("golden.regenerate")) {
            Path file = Path.of("src/test/resources/io/driftwarden/audit/report", name);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).isEqualTo(golden(name));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = ReportsTest.class.getResourceAsStream(name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
