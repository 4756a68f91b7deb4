package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditEntry;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * One self-contained HTML page (no script, no network): the {@link Measure measures} per cluster and binding with what
 * each counts, the drifts first found per day as an inline SVG bar chart, one line per drift (its rows told together),
 * and every row below (diffs already masked as stored). Rows are streamed. Each table scrolls on its own when a window
 * is too narrow; cells wrap, so at 1400 px nothing does.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1b1f24}
            h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
            .scroll{overflow-x:auto;max-width:100%}
            table{border-collapse:collapse;font-size:.8rem;width:100%}
            th,td{border:1px solid #d0d7de;padding:.3rem .4rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
            td.wrap,code.sha,pre{overflow-wrap:anywhere}td.diff{min-width:18rem}td.err{min-width:12rem}
            th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap}td.time{white-space:nowrap}
            code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.75rem}
            code.sha{word-break:break-all}
            pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
            .muted{color:#57606a}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.85rem}dt{font-weight:600}dd{margin:0}
            .CORRECTED,.corrected,.health-Current{color:#1a7f37}.FAILED,.failed,.health-Failed{color:#cf222e;font-weight:600}.DETECTED,.left{color:#9a6700}
            .EXCEPTED,.excepted,.active{color:#8250df}.EXPIRED,.expired{color:#cf222e}.expiring{color:#9a6700}
            .UNMANAGED{color:#6e7781}
            .bar{fill:#0969da}.axis{stroke:#8c959f}.label{font-size:10px;fill:#57606a}
            .found{fill:#bf8700}.fixed{fill:#1a7f37}.recur{fill:#cf222e}.legend{font-size:11px;fill:#1b1f24}
            .charts{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}figure{margin:0}figcaption{font-size:.85rem;color:#57606a}
            tr.total td{font-weight:600;background:#f6f8fa}
            """;

    private HtmlReport() {
    }

    /** Writes the page; {@code range} says which rows it covers (e.g. "all rows" or "since … until …"). */
    public static void write(Summary summary, Rows rows, String range, Writer out) throws IOException {
        write(summary, ExceptionStatus.NONE, null, rows, range, out);
    }

    /**
     * The page: the measures of the period, charts, recurrence, coverage and controls when {@code compliance} is set, and
     * the config's exceptions (active, expiring soon, expired).
     */
    public static void write(Summary summary, ExceptionStatus exceptions, Compliance compliance, Rows rows, String range, Writer out)
            throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>driftwarden audit report</title>\n");
        out.write("<style>\n" + STYLE + "</style>\n</head>\n<body>\n<h1>driftwarden audit report</h1>\n");
        out.write("<p>" + escape(range) + ": " + summary.rows() + " rows, " + summary.drifts().size()
                + " drifts. Secret values are masked (***) as stored. Times are UTC; durations in seconds.</p>\n");
        if (compliance != null) {
            compliance(compliance, out);
        }
        summaryTable(summary, out);
        definitions(out);
        exceptions(exceptions, out);
        out.write("<h2>Drifts first found per day</h2>\n");
        chart(summary.driftsPerDay(), out);
        driftTable(summary, out);
        out.write("<h2>Rows</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>seq</th><th>time</th><th>run<br>trigger</th>"
                + "<th>cluster<br>binding</th><th>source<br>commit</th><th>chart<br>digest</th><th>object</th><th>event</th><th>drift</th><th>action</th>"
                + "<th>diff</th><th>changed by</th><th>error</th><th>health</th></tr></thead>\n<tbody>\n");
        rows.each(record -> {
            AuditEntry e = record.entry();
            out.write("<tr><td class=\"num\">" + record.seq() + "</td><td class=\"time\">" + record.time() + "</td><td class=\"wrap\">"
                    + escape(e.runId()) + "<br><span class=\"muted\">" + escape(e.trigger()) + "</span></td><td>" + escape(e.cluster())
                    + "<br>" + escape(e.binding()) + "</td><td class=\"wrap\">" + escape(e.sourceUrl()) + "<br>" + sha(e.commit())
                    + "</td><td class=\"wrap\">" + escape(e.details().chart()) + (e.details().chartDigest() == null ? ""
                    : "<br><code class=\"sha\">" + escape(e.details().chartDigest()) + "</code>")
                    + "</td><td class=\"wrap\">" + escape(record.subject()) + "</td><td class=\"" + e.event().name() + "\">" + e.event().name() + "</td><td>"
                    + escape(e.driftType()) + "</td><td>" + escape(e.action()) + "</td><td class=\"diff\"><pre>" + escape(e.maskedDiff())
                    + "</pre></td><td class=\"wrap\"><pre>" + escape(e.details().changedBy()) + "</pre></td><td class=\"err\"><pre>" + escape(e.error()) + "</pre></td><td class=\"wrap\">"
                    + (e.details().healthState() == null ? "" : "<span class=\"health-" + escape(e.details().healthState()) + "\">"
                    + escape(e.details().healthState()) + "</span><br>" + escape(e.details().healthMessage())) + "</td></tr>\n");
        });
        out.write("</tbody>\n</table></div>\n</body>\n</html>\n");
    }

    /** The measures of the period (see {@link Measures}), with two charts. */
    private static void compliance(Compliance compliance, Writer out) throws IOException {
        Measures m = compliance.measures();
        String period = m.since() == null && m.until() == null ? "Every row in the table"
                : m.since() == null ? "Until " + time(m.until()) : m.until() == null ? "From " + time(m.since())
                : "From " + time(m.since()) + " until " + time(m.until());
        out.write("<h2>Measures of the period</h2>\n<p>" + period + ". Counted from the audit table; each measure is defined under &quot;What the numbers count&quot;.</p>\n");
        out.write("<div class=\"charts\">\n");
        foundAndCorrectedChart(m.bindings(), out);
        recurrenceChart(m, out);
        out.write("</div>\n");
        out.write("<div class=\"scroll\"><table id=\"measures\">\n<thead><tr><th>cluster</th><th>binding</th>");
        for (Measure measure : Measure.values()) {
            out.write("<th title=\"" + escape(measure.definition()) + "\">" + escape(measure.label()) + "</th>");
        }
        out.write("<th title=\"" + escape(Measure.TIME_TO_CORRECT_MEDIAN) + "\">median time to correct (s)</th><th title=\""
                + escape(Measure.TIME_TO_CORRECT_P90) + "\">p90 time to correct (s)</th><th title=\"" + escape(Measure.TIME_TO_CORRECT)
                + "\">mean time to correct (s)</th></tr></thead>\n<tbody>\n");
        for (Measures.Group group : m.bindings()) {
            groupRow(group, "", out);
        }
        for (Measures.Group group : m.clusters()) {
            groupRow(group, " class=\"total\"", out);
        }
        groupRow(m.total(), " class=\"total\"", out);
        out.write("</tbody>\n</table></div>\n");

        out.write("<h2>Recurrence</h2>\n<p>" + m.recurringPaths() + " object paths drifted " + m.threshold()
                + " times or more in the period; each drift of a path ends with its correction, and the next begins after it.</p>\n");
        if (!m.recurring().isEmpty()) {
            out.write("<div class=\"scroll\"><table id=\"recurrence\">\n<thead><tr><th>cluster<br>binding</th><th>object</th><th>path</th>"
                    + "<th>drifts</th><th>changed by</th></tr></thead>\n<tbody>\n");
            for (Measures.Recurring r : m.recurring()) {
                out.write("<tr><td>" + escape(r.cluster()) + "<br>" + escape(r.binding()) + "</td><td class=\"wrap\">" + escape(r.subject())
                        + "</td><td class=\"wrap\"><code>" + (r.path().isEmpty() ? "</code><span class=\"muted\">whole object</span><code>"
                        : escape(r.path())) + "</code></td><td class=\"num\">" + r.drifts() + "</td><td>" + (r.managers().isEmpty()
                        ? "<span class=\"muted\">not recorded</span>" : escape(String.join(", ", r.managers()))) + "</td></tr>\n");
            }
            out.write("</tbody>\n</table></div>\n");
        }

        out.write("<h2>Coverage</h2>\n<p>Coverage = " + escape(Measure.COVERAGE) + ".</p>\n<div class=\"scroll\"><table id=\"coverage\">\n"
                + "<thead><tr><th>cluster</th><th>binding</th><th>managed</th><th>unmanaged</th><th>coverage</th></tr></thead>\n<tbody>\n");
        for (Measures.Coverage c : m.coverage()) {
            out.write("<tr" + (c.binding() == null ? " class=\"total\"" : "") + "><td>" + (c.cluster() == null ? "all" : escape(c.cluster()))
                    + "</td><td>" + (c.binding() == null ? "all" : escape(c.binding())) + "</td><td class=\"num\">" + c.managed()
                    + "</td><td class=\"num\">" + c.unmanaged() + "</td><td class=\"num\">" + (c.percent() == null ? "–"
                    : c.percent().toPlainString() + " %") + "</td></tr>\n");
        }
        out.write("</tbody>\n</table></div>\n");

        out.write("<h2>Controls</h2>\n<p>Measures " + escape(Compliance.CONTROLS) + ".</p>\n");
        if (compliance.controls().isEmpty()) {
            out.write("<p>No binding names a control (<code>controls:</code>).</p>\n");
            return;
        }
        out.write("<div class=\"scroll\"><table id=\"controls\">\n<thead><tr><th>control</th><th>evidenced by</th>");
        for (Measure measure : Measure.values()) {
            out.write("<th title=\"" + escape(measure.definition()) + "\">" + escape(measure.label()) + "</th>");
        }
        out.write("<th>median time to correct (s)</th><th>p90 time to correct (s)</th><th>mean time to correct (s)</th></tr></thead>\n<tbody>\n");
        for (Compliance.Control control : compliance.controls()) {
            out.write("<tr><td>" + escape(control.id()) + "</td><td>" + escape(String.join(", ", control.bindings())) + "</td>");
            counts(control.measures(), out);
            out.write("</tr>\n");
        }
        out.write("</tbody>\n</table></div>\n");
    }

    private static void groupRow(Measures.Group group, String attributes, Writer out) throws IOException {
        out.write("<tr" + attributes + "><td>" + (group.cluster() == null ? "all" : escape(group.cluster())) + "</td><td>"
                + (group.binding() == null ? "all" : escape(group.binding())) + "</td>");
        counts(group, out);
        out.write("</tr>\n");
    }

    private static void counts(Measures.Group group, Writer out) throws IOException {
        for (Measure measure : Measure.values()) {
            out.write("<td class=\"num\">" + group.count(measure) + "</td>");
        }
        out.write("<td class=\"num\">" + seconds(group.medianTimeToCorrect()) + "</td><td class=\"num\">"
                + seconds(group.p90TimeToCorrect()) + "</td><td class=\"num\">" + seconds(group.meanTimeToCorrect()) + "</td>");
    }

    /** Two bars per binding: drifts found and corrected, scaled to the largest count. */
    private static void foundAndCorrectedChart(java.util.List<Measures.Group> bindings, Writer out) throws IOException {
        out.write("<figure><figcaption>Drifts found and corrected per binding</figcaption>\n");
        if (bindings.isEmpty()) {
            out.write("<p>No rows in this period.</p></figure>\n");
            return;
        }
        int bar = 22;
        int height = 160;
        int slot = 2 * bar + 24;
        int width = 50 + bindings.size() * slot;
        long max = Math.max(1, bindings.stream().mapToLong(g -> g.count(Measure.FOUND)).max().orElse(1));
        out.write("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-found-corrected\" width=\"" + Math.max(width, 220) + "\" height=\""
                + (height + 56) + "\" role=\"img\" aria-label=\"drifts found and corrected per binding\">\n");
        out.write("<line class=\"axis\" x1=\"30\" y1=\"" + height + "\" x2=\"" + width + "\" y2=\"" + height + "\"/>\n");
        int x = 40;
        for (Measures.Group group : bindings) {
            long found = group.count(Measure.FOUND);
            long corrected = group.count(Measure.CORRECTED);
            bar(out, "found", x, bar, height, found, max, group.binding() + ": " + found + " found");
            bar(out, "fixed", x + bar + 2, bar, height, corrected, max, group.binding() + ": " + corrected + " corrected");
            out.write("<text class=\"label\" x=\"" + (x + bar) + "\" y=\"" + (height + 14) + "\" text-anchor=\"middle\">"
                    + escape(group.binding()) + "</text>\n");
            x += slot;
        }
        out.write("<rect class=\"found\" x=\"40\" y=\"" + (height + 30) + "\" width=\"10\" height=\"10\"/><text class=\"legend\" x=\"54\" y=\""
                + (height + 39) + "\">found</text><rect class=\"fixed\" x=\"104\" y=\"" + (height + 30)
                + "\" width=\"10\" height=\"10\"/><text class=\"legend\" x=\"118\" y=\"" + (height + 39) + "\">corrected</text>\n");
        out.write("</svg></figure>\n");
    }

    /** A horizontal bar per top offender: how many times its path drifted. */
    private static void recurrenceChart(Measures m, Writer out) throws IOException {
        out.write("<figure><figcaption>Recurring drift: object paths that drifted " + m.threshold() + "+ times</figcaption>\n");
        if (m.recurring().isEmpty()) {
            out.write("<p>None in this period.</p></figure>\n");
            return;
        }
        int row = 26;
        int labelWidth = 300;
        int barMax = 200;
        long max = m.recurring().get(0).drifts();
        out.write("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-recurrence\" width=\"" + (labelWidth + barMax + 40) + "\" height=\""
                + (m.recurring().size() * row + 10) + "\" role=\"img\" aria-label=\"recurring drift\">\n");
        int y = 4;
        for (Measures.Recurring r : m.recurring()) {
            String label = r.subject() + (r.path().isEmpty() ? "" : " " + r.path());
            String shown = label.length() > 48 ? "…" + label.substring(label.length() - 47) : label;
            long width = Math.max(2, r.drifts() * barMax / max);
            out.write("<text class=\"label\" x=\"" + (labelWidth - 6) + "\" y=\"" + (y + 15) + "\" text-anchor=\"end\">" + escape(shown)
                    + "<title>" + escape(label) + "</title></text>\n");
            out.write("<rect class=\"recur\" x=\"" + labelWidth + "\" y=\"" + y + "\" width=\"" + width + "\" height=\"" + (row - 8)
                    + "\"><title>" + escape(label) + ": " + r.drifts() + " drifts</title></rect>\n");
            out.write("<text class=\"label\" x=\"" + (labelWidth + width + 4) + "\" y=\"" + (y + 15) + "\">" + r.drifts() + "</text>\n");
            y += row;
        }
        out.write("</svg></figure>\n");
    }

    private static void bar(Writer out, String css, int x, int width, int height, long value, long max, String title) throws IOException {
        long barHeight = value == 0 ? 0 : Math.max(1, value * (height - 20) / max);
        out.write("<rect class=\"" + css + "\" x=\"" + x + "\" y=\"" + (height - barHeight) + "\" width=\"" + width + "\" height=\"" + barHeight
                + "\"><title>" + escape(title) + "</title></rect>\n");
        out.write("<text class=\"label\" x=\"" + (x + width / 2) + "\" y=\"" + (height - barHeight - 4) + "\" text-anchor=\"middle\">" + value
                + "</text>\n");
    }

    private static void summaryTable(Summary summary, Writer out) throws IOException {
        out.write("<h2>Summary per cluster and binding</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>cluster</th><th>binding</th>"
                + "<th>objects managed</th><th>in sync at last run</th>");
        for (Measure measure : Measure.values()) {
            out.write("<th title=\"" + escape(measure.definition()) + "\">" + escape(measure.label()) + "</th>");
        }
        out.write("<th title=\"" + escape(Measure.TIME_TO_CORRECT) + "\">mean time to correct (s)</th><th>last successful run</th>"
                + "</tr></thead>\n<tbody>\n");
        for (Summary.BindingSummary b : summary.bindings()) {
            out.write("<tr><td>" + escape(b.cluster()) + "</td><td>" + escape(b.binding()) + "</td><td class=\"num\">" + b.objectsManaged()
                    + "</td><td class=\"num\">" + (b.inSyncPercent() == null ? "–" : b.inSyncPercent() + " %") + "</td>");
            for (Measure measure : Measure.values()) {
                out.write("<td class=\"num\">" + b.count(measure) + "</td>");
            }
            out.write("<td class=\"num\">" + seconds(b.meanTimeToCorrect()) + "</td><td class=\"time\">" + time(b.lastSuccessfulRun())
                    + "</td></tr>\n");
        }
        out.write("</tbody>\n</table></div>\n");
    }

    private static void definitions(Writer out) throws IOException {
        out.write("<h2>What the numbers count</h2>\n<p>A drift is one object path (or a whole object, for MISSING and EXTRA) that "
                + "differs from Git, from the first row that reports it until its CORRECTED row, across runs: it is counted once, "
                + "however many rows and runs tell its story; after its correction the same path drifting again is a new drift. "
                + "drifts found = corrected + excepted + failed + left in place; still open = failed + left in place.</p>\n<dl>\n");
        for (Measure measure : Measure.values()) {
            out.write("<dt>" + escape(measure.label()) + "</dt><dd>" + escape(measure.definition()) + "</dd>\n");
        }
        out.write("<dt>mean time to correct</dt><dd>" + escape(Measure.TIME_TO_CORRECT) + "</dd>\n");
        out.write("<dt>median time to correct</dt><dd>" + escape(Measure.TIME_TO_CORRECT_MEDIAN) + "</dd>\n");
        out.write("<dt>p90 time to correct</dt><dd>" + escape(Measure.TIME_TO_CORRECT_P90) + "</dd>\n");
        out.write("<dt>recurrence</dt><dd>" + escape(Measure.RECURRENCE) + "</dd>\n");
        out.write("<dt>coverage</dt><dd>" + escape(Measure.COVERAGE) + "</dd>\n");
        out.write("<dt>controls</dt><dd>" + escape(Compliance.CONTROLS) + "</dd>\n</dl>\n");
    }

    private static void exceptions(ExceptionStatus status, Writer out) throws IOException {
        out.write("<h2>Exceptions</h2>\n");
        int count = status.active().size() + status.expiring().size() + status.expired().size();
        if (count == 0) {
            out.write("<p>No exceptions are configured.</p>\n");
            return;
        }
        out.write("<p>As of " + time(status.asOf()) + ": " + status.active().size() + " active, " + status.expiring().size()
                + " expiring within " + Measure.EXPIRING_WITHIN_DAYS + " days, " + status.expired().size() + " expired. An exception "
                + "covers drift up to the end of its expiry day (UTC).</p>\n");
        out.write("<div class=\"scroll\"><table>\n<thead><tr><th>state</th><th>name</th><th>binding<br>cluster</th><th>object</th>"
                + "<th>paths</th><th>reason</th><th>approved by</th><th>ticket</th><th>expires</th></tr></thead>\n<tbody>\n");
        for (var group : java.util.List.of(java.util.Map.entry("expired", status.expired()), java.util.Map.entry("expiring", status.expiring()),
                java.util.Map.entry("active", status.active()))) {
            for (io.driftwarden.config.ExceptionSpec x : group.getValue()) {
                out.write("<tr><td class=\"" + group.getKey() + "\">" + group.getKey() + "</td><td>" + escape(x.name()) + "</td><td>"
                        + escape(x.binding().pattern()) + "<br>" + escape(x.cluster().pattern()) + "</td><td class=\"wrap\">"
                        + escape(x.kind() + "/" + x.namespace().pattern() + "/" + x.objectName().pattern()) + "</td><td class=\"wrap\"><code>"
                        + escape(String.join(", ", x.paths().stream().map(p -> p.text()).toList())) + "</code></td><td>" + escape(x.reason())
                        + "</td><td>" + escape(x.approvedBy()) + "</td><td>" + escape(x.ticket()) + "</td><td class=\"time\">" + x.expires()
                        + "</td></tr>\n");
            }
        }
        out.write("</tbody>\n</table></div>\n");
    }

    private static void driftTable(Summary summary, Writer out) throws IOException {
        out.write("<h2>Drifts</h2>\n");
        if (summary.drifts().isEmpty()) {
            out.write("<p>No drift in this range.</p>\n");
            return;
        }
        out.write("<div class=\"scroll\"><table>\n<thead><tr><th>first found</th><th>cluster<br>binding</th><th>object</th>"
                + "<th>path</th><th>drift</th><th>changed by</th><th>what was done</th><th>runs</th><th>outcome</th>"
                + "<th>time to correct (s)</th><th>error</th><th>commit</th></tr></thead>\n<tbody>\n");
        for (Summary.DriftLine d : summary.drifts()) {
            String outcome = d.outcome().key();
            out.write("<tr><td class=\"time\">" + time(d.firstSeen()) + "<br><span class=\"muted\">row " + d.firstSeq() + "</span></td><td>"
                    + escape(d.cluster()) + "<br>" + escape(d.binding()) + "</td><td class=\"wrap\">" + escape(d.subject()) + "</td><td class=\"wrap\"><code>"
                    + (d.path().isEmpty() ? "</code><span class=\"muted\">whole object</span><code>" : escape(d.path()))
                    + "</code></td><td>" + escape(d.driftType()) + "</td><td>" + (d.changedBy() == null ? "<span class=\"muted\">not recorded</span>"
                    : escape(d.changedBy())) + "</td><td>" + escape(d.done()) + "</td><td class=\"num\">" + d.runs() + "</td><td class=\""
                    + outcome + "\">" + escape(d.outcome().label()) + "</td><td class=\"num\">" + seconds(d.timeToCorrect()) + "</td><td><pre>"
                    + escape(d.error()) + "</pre></td><td>" + sha(d.commit()) + "</td></tr>\n");
        }
        out.write("</tbody>\n</table></div>\n");
    }

    /** A bar per day, scaled to the busiest day. */
    private static void chart(Map<LocalDate, Long> perDay, Writer out) throws IOException {
        if (perDay.isEmpty()) {
            out.write("<p>No drift in this range.</p>\n");
            return;
        }
        int barWidth = 28;
        int height = 160;
        int width = 40 + perDay.size() * (barWidth + 8);
        long max = perDay.values().stream().mapToLong(Long::longValue).max().orElse(1);
        out.write("<div class=\"scroll\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + (height + 40)
                + "\" role=\"img\" aria-label=\"drifts first found per day\">\n");
        out.write("<line class=\"axis\" x1=\"30\" y1=\"" + height + "\" x2=\"" + width + "\" y2=\"" + height + "\"/>\n");
        int x = 40;
        for (Map.Entry<LocalDate, Long> day : perDay.entrySet()) {
            long barHeight = Math.max(1, day.getValue() * (height - 20) / max);
            out.write("<rect class=\"bar\" x=\"" + x + "\" y=\"" + (height - barHeight) + "\" width=\"" + barWidth + "\" height=\"" + barHeight
                    + "\"><title>" + day.getKey() + ": " + day.getValue() + "</title></rect>\n");
            out.write("<text class=\"label\" x=\"" + (x + barWidth / 2) + "\" y=\"" + (height - barHeight - 4) + "\" text-anchor=\"middle\">"
                    + day.getValue() + "</text>\n");
            out.write("<text class=\"label\" x=\"" + (x + barWidth / 2) + "\" y=\"" + (height + 14) + "\" text-anchor=\"middle\">"
                    + day.getKey().toString().substring(5) + "</text>\n");
            x += barWidth + 8;
        }
        out.write("</svg></div>\n");
    }

    /** The full commit SHA, wrapping in its cell; empty when unknown. */
    private static String sha(String commit) {
        return commit == null ? "<span class=\"muted\">unknown</span>" : "<code class=\"sha\">" + escape(commit) + "</code>";
    }

    private static String seconds(Duration duration) {
        return duration == null ? "–" : Summary.seconds(duration).toPlainString();
    }

    private static String time(Instant instant) {
        return instant == null ? "–" : instant.toString();
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
