package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.audit.report.Compliance;
import io.driftwarden.audit.report.CsvReport;
import io.driftwarden.audit.report.ExceptionStatus;
import io.driftwarden.audit.report.HtmlReport;
import io.driftwarden.audit.report.JsonReport;
import io.driftwarden.audit.report.Measures;
import io.driftwarden.audit.report.Rows;
import io.driftwarden.audit.report.Summary;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * What {@code report}, {@code evidence} and the demo write: the rows a filter selects (only those of {@code bindings} when set,
 * a control's) as CSV, or as JSON / HTML with the summary the rows tell and the {@link Compliance} measures counted
 * from the table. The control → bindings map comes from the config read now: audit rows carry no controls.
 */
public final class Reports {

    private final AuditLog audit;
    private final ReportFilter filter;
    private final Set<String> bindings;
    private final SortedMap<String, List<String>> controls;
    private final int recurrence;
    private final ExceptionStatus exceptions;

    /**
     * @param bindings only these bindings' rows (null: every binding the filter selects)
     * @param controls each control id and the bindings that evidence it, from the config
     * @param exceptions the config's exceptions, active, expiring or expired as of a time the caller picks
     */
    public Reports(AuditLog audit, ReportFilter filter, Set<String> bindings, SortedMap<String, List<String>> controls, int recurrence,
            ExceptionStatus exceptions) {
        this.audit = audit;
        this.filter = filter;
        this.bindings = bindings;
        this.controls = controls;
        this.recurrence = recurrence;
        this.exceptions = exceptions;
    }

    /** The rows, streamed from the store each time they are read. */
    Rows rows() {
        return handler -> audit.stream(filter, record -> {
            if (bindings == null || bindings.contains(record.entry().binding())) {
                handler.row(record);
            }
        });
    }

    /** The measures of what {@code summary} read, and of each control whose bindings are in it (no second read of the rows). */
    Compliance compliance(Summary summary) {
        Measures measures = Measures.of(summary, filter, recurrence, Measures.coverage(audit.dataSource(), filter, bindings));
        List<Compliance.Control> perControl = new ArrayList<>();
        controls.forEach((id, evidencing) -> {
            List<String> inRange = evidencing.stream().filter(b -> bindings == null || bindings.contains(b)).toList();
            if (!inRange.isEmpty()) {
                perControl.add(new Compliance.Control(id, inRange, measures.total(summary, inRange)));
            }
        });
        return new Compliance(measures, perControl);
    }

    /** Writes the report in {@code format} (csv, json, html); {@code range} heads the HTML page. */
    public void write(String format, String range, Writer out) throws IOException {
        Rows rows = rows();
        if (format.equals("csv")) {
            CsvReport.write(rows, out);
            return;
        }
        Summary summary = Summary.of(rows, audit.inventory().sizes());
        if (format.equals("json")) {
            JsonReport.write(summary, exceptions, compliance(summary), rows, out);
        } else {
            HtmlReport.write(summary, exceptions, compliance(summary), rows, range, out);
        }
    }
}
