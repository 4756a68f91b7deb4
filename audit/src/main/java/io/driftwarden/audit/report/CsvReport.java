package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditRecord;
import java.io.IOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes audit rows as RFC 4180 CSV with a fixed header; the column list is part of the CLI contract. */
public final class CsvReport {

    /** The columns, in order (README, "Report columns"). */
    public static final List<String> COLUMNS = ReportRow.COLUMNS;

    private CsvReport() {
    }

    public static void write(List<AuditRecord> records, Appendable out) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            for (AuditRecord record : records) {
                printer.printRecord(ReportRow.values(record));
            }
        }
    }
}
