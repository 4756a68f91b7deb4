package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import java.io.IOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes audit rows as RFC 4180 CSV with a fixed header; the column list is part of the CLI contract. */
public final class CsvReport {

    /** The columns, in order. Changing them is a breaking change: the README documents each one. */
    public static final List<String> COLUMNS = List.of(
            "seq", "time", "run_id", "trigger", "binding", "source_url", "commit", "cluster", "namespace",
            "group", "version", "kind", "name", "subject", "event", "drift_type", "action", "changed_paths",
            "diff", "error", "prev_hash", "hash");

    private CsvReport() {
    }

    public static void write(List<AuditRecord> records, Appendable out) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            for (AuditRecord record : records) {
                AuditEntry e = record.entry();
                printer.printRecord(record.seq(), record.time(), e.runId(), e.trigger(), e.binding(), e.sourceUrl(),
                        e.commit(), e.cluster(), e.namespace(), e.group(), e.version(), e.kind(), e.name(),
                        record.subject(), e.event(), e.driftType(), e.action(), e.changedPaths(), e.maskedDiff(),
                        e.error(), record.prevHash(), record.hash());
            }
        }
    }
}
