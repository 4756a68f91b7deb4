package io.driftwarden.notify;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import java.time.Instant;

/** Audit rows for tests, as the jobs module writes them (BindingAudit), with the details others add. */
final class Rows {

    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final String GITHUB = "https://github.com/acme/platform.git";
    private static long seq;

    private Rows() {
    }

    static AuditRecord row(String binding, String kind, String name, EventType event, String driftType, String action, String paths,
            String error, AuditEntry.Details details) {
        AuditEntry entry = new AuditEntry("run-1", "manual", binding, GITHUB, SHA, "prod", "shop", kind == null ? null : "apps",
                kind == null ? null : "v1", kind, name, event, driftType, action, paths, "--- masked diff: data.password: ***", error, details);
        seq++;
        return new AuditRecord(seq, Instant.parse("2026-12-03T02:00:00Z").plusSeconds(seq), entry, "prev", "hash");
    }

    static AuditRecord row(String binding, String kind, String name, EventType event, String driftType, String action, String paths) {
        return row(binding, kind, name, event, driftType, action, paths, null, AuditEntry.Details.NONE);
    }
}
