package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import java.util.Arrays;
import java.util.List;

/** The report columns and one row's values in that order: the one place both CSV and JSON take them from. */
final class ReportRow {

    /** The columns, in order. Changing them is a breaking change: the README documents each one. */
    static final List<String> COLUMNS = List.of(
            "seq", "time", "run_id", "trigger", "binding", "source_url", "commit", "chart", "chart_digest", "cluster", "namespace",
            "group", "version", "kind", "name", "subject", "event", "drift_type", "action", "changed_paths",
            "diff", "error", "changed_by", "health_state", "health_message", "prev_hash", "hash");

    private ReportRow() {
    }

    /** The values of one row, in column order; absent values are null. */
    static List<Object> values(AuditRecord record) {
        AuditEntry e = record.entry();
        return Arrays.asList(record.seq(), record.time().toString(), e.runId(), e.trigger(), e.binding(), e.sourceUrl(),
                e.commit(), e.details().chart(), e.details().chartDigest(), e.cluster(), e.namespace(), e.group(), e.version(), e.kind(), e.name(), record.subject(),
                e.event().name(), e.driftType(), e.action(), e.changedPaths(), e.maskedDiff(), e.error(),
                e.details().changedBy(), e.details().healthState(), e.details().healthMessage(), record.prevHash(), record.hash());
    }
}
