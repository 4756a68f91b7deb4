package io.driftwarden.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV columns are a contract: the golden file next to this test is what users' scripts parse. */
class CsvReportTest {

    static final List<AuditRecord> RECORDS = List.of(
            new AuditRecord(1, Instant.parse("2026-11-28T02:00:00.125Z"), new AuditEntry("20261128T020000Z-a1b2c3", "cronjob",
                    "guestbook", "file:///srv/git/platform.git", "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod",
                    "guestbook", "apps", "v1", "Deployment", "frontend", EventType.INTENT, "MODIFIED", "CONFIGURED",
                    "spec.replicas\nspec.template.spec.containers[name=php-redis].image",
                    "~ spec.replicas: 5 -> 3\n~ spec.template.spec.containers[name=php-redis].image: \"gb-frontend:hotfix\" -> \"gb-frontend:v5\"",
                    null), "0".repeat(64), "a".repeat(64)),
            new AuditRecord(2, Instant.parse("2026-11-28T02:00:00.250Z"), new AuditEntry("20261128T020000Z-a1b2c3", "cronjob",
                    "guestbook", "file:///srv/git/platform.git", "9a1df0b23ddcb0554505e456250558b1f73815ae", "prod",
                    "guestbook", "", "v1", "Secret", "redis-credentials", EventType.FAILED, "MODIFIED", "CONFIGURED",
                    "data.password", "~ data.password: *** -> ***", "Secret/guestbook/redis-credentials apply failed: Forbidden, \"quoted\""),
                    "a".repeat(64), "b".repeat(64)),
            new AuditRecord(3, Instant.parse("2026-11-28T02:00:01Z"), new AuditEntry("20261128T020000Z-a1b2c3", "cronjob",
                    "billing", "file:///srv/git/platform.git", null, "prod", "billing", null, null, null, null,
                    EventType.FAILED, null, "FAILED", null, null, "binding billing: manifests do not render:\n  apps/billing/db.yaml:7: duplicate key 'name'"),
                    "b".repeat(64), "c".repeat(64)));

    @Test
    void writesTheDocumentedColumnsForEveryRow() throws IOException {
        StringBuilder csv = new StringBuilder();

        CsvReport.write(RECORDS, csv);

        assertThat(csv.toString()).isEqualTo(golden("expected-report.csv"));
    }

    @Test
    void writesJsonWithTheSameFields() throws IOException {
        StringBuilder json = new StringBuilder();

        JsonReport.write(RECORDS, json);

        assertThat(json.toString()).isEqualTo(golden("expected-report.json"));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = CsvReportTest.class.getResourceAsStream(name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
