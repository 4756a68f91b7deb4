package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes audit rows as RFC 4180 CSV with a fixed header; the column list is part of the CLI contract. A cell that a
 * spreadsheet would run as a formula (starting with {@code =}, {@code +}, {@code -}, {@code @}, tab or carriage
 * return) is prefixed with {@code '}.
 */
public final class CsvReport {

    /** The columns, in order (README, "Report columns"). */
    public static final List<String> COLUMNS = ReportRow.COLUMNS;

    private CsvReport() {
    }

    public static void write(List<AuditRecord> records, Appendable out) throws IOException {
        write(Rows.of(records), out);
    }

    /** Streams {@code rows}: one row in memory at a time. */
    public static void write(Rows rows, Appendable out) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            rows.each(record -> {
                List<Object> cells = new ArrayList<>();
                for (Object value : ReportRow.values(record)) {
                    cells.add(neutralized(value));
                }
                printer.printRecord(cells);
            });
        }
    }

    /** OWASP's advice against CSV injection: a leading formula character is made text. */
    static Object neutralized(Object value) {
        if (value instanceof String text && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return value;
    }
}
