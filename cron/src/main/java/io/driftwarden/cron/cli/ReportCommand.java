package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.audit.report.CsvReport;
import io.driftwarden.audit.report.ExceptionStatus;
import io.driftwarden.audit.report.HtmlReport;
import io.driftwarden.audit.report.JsonReport;
import io.driftwarden.audit.report.Rows;
import io.driftwarden.audit.report.Summary;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code driftwarden report}: audit rows as CSV, JSON or HTML; with no filter, every row. */
@Command(name = "report", description = "Export audit rows (every drift found and every correction).", mixinStandardHelpOptions = true)
public class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Where "now" comes from for relative times (--since 24h). */
    Clock clock = Clocks.system();

    @Mixin
    ConfigOption config;

    @Option(names = {"-o", "--format"}, required = true, paramLabel = "FORMAT",
            description = "csv (the rows), json (a summary per cluster and binding, and the rows) or html (one self-contained page).")
    String format;

    @Option(names = "--since", paramLabel = "TIME", description = "Rows at or after TIME: 2026-11-28, 2026-11-28T02:00:00Z, or a duration ago (24h, 7d).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Rows before TIME (same forms as --since).")
    String until;

    @Option(names = "--binding", paramLabel = "NAME", description = "Only this binding.")
    String binding;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster.")
    String cluster;

    @Option(names = "--output", paramLabel = "FILE", description = "Where the report goes: FILE instead of stdout (-o is --format, as in kubectl).")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!List.of("csv", "json", "html").contains(format)) {
            throw new ParameterException(spec.commandLine(), "--format must be csv, json or html, not '" + format + "'");
        }
        Instant now = clock.instant();
        ReportFilter filter = new ReportFilter(time(since, "--since", now), time(until, "--until", now), binding, cluster);
        ExceptionStatus exceptions = ExceptionStatus.of(config.exceptions(), now);
        try (AuditLog audit = AuditLog.open(config.auditSettings(), Clock.systemUTC())) {
            Rows rows = handler -> audit.stream(filter, handler);
            if (output == null) {
                Writer out = spec.commandLine().getOut();
                write(audit, rows, exceptions, out);
                out.flush();
            } else {
                try (Writer writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    write(audit, rows, exceptions, writer);
                }
                spec.commandLine().getErr().println("wrote the " + format + " report to " + output);
            }
        }
        return 0;
    }

    /**
     * CSV streams the rows once; JSON and HTML read them twice (summary, then rows), never holding them all, and list the
     * config's exceptions as they stand now.
     */
    private void write(AuditLog audit, Rows rows, ExceptionStatus exceptions, Writer out) throws java.io.IOException {
        if (format.equals("csv")) {
            CsvReport.write(rows, out);
            return;
        }
        Summary summary = Summary.of(rows, audit.inventory().sizes());
        if (format.equals("json")) {
            JsonReport.write(summary, exceptions, rows, out);
        } else {
            HtmlReport.write(summary, exceptions, rows, range(), out);
        }
    }

    private String range() {
        StringBuilder range = new StringBuilder(since == null && until == null ? "All rows" : "Rows");
        if (since != null) {
            range.append(" since ").append(since);
        }
        if (until != null) {
            range.append(" until ").append(until);
        }
        if (binding != null) {
            range.append(", binding ").append(binding);
        }
        if (cluster != null) {
            range.append(", cluster ").append(cluster);
        }
        return range.toString();
    }

    private Instant time(String text, String option, Instant now) {
        if (text == null) {
            return null;
        }
        try {
            if (Durations.matches(text)) {
                return now.minus(Durations.parse(text));
            }
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), option + " '" + text
                    + "' is not a date (2026-11-28), an instant (2026-11-28T02:00:00Z) or a duration (24h, 7d)");
        }
    }
}
