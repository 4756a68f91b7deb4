package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.audit.report.ExceptionStatus;
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
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code driftwarden report}: audit rows as CSV, JSON or HTML; with no filter, every row. */
@Command(name = "report", mixinStandardHelpOptions = true, description = {"Export audit rows (every drift found and every correction).",
        "JSON and HTML add the measures of the range counted from the table (drifts found, corrected, excepted, open; time to "
                + "correct: median, p90, mean; recurrence; coverage) per binding, cluster and in total, and per control "
                + "(the bindings' controls: in the config). The same rows give the same bytes."})
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

    @Option(names = "--control", paramLabel = "ID", description = "Only the bindings that evidence this control (their "
            + "controls: in the config, read now: audit rows carry no controls).")
    String control;

    @Option(names = "--recurrence", paramLabel = "N", defaultValue = "3",
            description = "An object path recurs when it drifted N or more times in the range (default: ${DEFAULT-VALUE}).")
    int recurrence;

    @Option(names = "--output", paramLabel = "FILE", description = "Where the report goes: FILE instead of stdout (-o is --format, as in kubectl).")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!List.of("csv", "json", "html").contains(format)) {
            throw new ParameterException(spec.commandLine(), "--format must be csv, json or html, not '" + format + "'");
        }
        if (recurrence < 1) {
            throw new ParameterException(spec.commandLine(), "--recurrence must be at least 1, not " + recurrence);
        }
        Instant now = clock.instant();
        ReportFilter filter = new ReportFilter(time(since, "--since", now), time(until, "--until", now), binding, cluster);
        ExceptionStatus exceptions = ExceptionStatus.of(config.exceptions(), now);
        SortedMap<String, List<String>> controls = controls();
        Set<String> bindings = null;
        if (control != null) {
            if (!controls.containsKey(control)) {
                throw new ParameterException(spec.commandLine(), "--control " + control + ": no binding names it in controls: "
                        + (controls.isEmpty() ? "(no binding names a control)" : "(named: " + String.join(", ", controls.keySet()) + ")"));
            }
            bindings = Set.copyOf(controls.get(control));
        }
        try (AuditLog audit = AuditLog.open(config.auditSettings(), Clock.systemUTC())) {
            Reports reports = new Reports(audit, filter, bindings, controls, recurrence, exceptions);
            if (output == null) {
                Writer out = spec.commandLine().getOut();
                reports.write(format, range(), out);
                out.flush();
            } else {
                try (Writer writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    reports.write(format, range(), writer);
                }
                spec.commandLine().getErr().println("wrote the " + format + " report to " + output);
            }
        }
        return 0;
    }

    /** Each control the config's bindings name, with those bindings; none without a config (the default store). */
    private SortedMap<String, List<String>> controls() {
        if (!config.given() && !Files.exists(Path.of("driftwarden.yaml"))) {
            return new TreeMap<>();
        }
        return config.load().controls();
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
        if (control != null) {
            range.append(", control ").append(control);
        }
        return range.toString();
    }

    private Instant time(String text, String option, Instant now) {
        return time(spec, text, option, now);
    }

    /** {@code text} as a date, an instant or a duration before {@code now}; null when null; a usage error otherwise. */
    static Instant time(CommandSpec spec, String text, String option, Instant now) {
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
