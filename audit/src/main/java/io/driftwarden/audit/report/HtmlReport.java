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
            """;

    private HtmlReport() {
    }

    /** Writes the page; {@code range} says which rows it covers (e.g. "all rows" or "since … until …"). */
    public static void write(Summary summary, Rows rows, String range, Writer out) throws IOException {
        write(summary, ExceptionStatus.NONE, rows, range, out);
    }

    /** The page, with the config's exceptions (active, expiring soon, expired) after the summary. */
    public static void write(Summary summary, ExceptionStatus exceptions, Rows rows, String range, Writer out) throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>driftwarden audit report</title>\n");
        out.write("<style>\n" + STYLE + "</style>\n</head>\n<body>\n<h1>driftwarden audit report</h1>\n");
        out.write("<p>" + escape(range) + ": " + summary.rows() + " rows, " + summary.drifts().size()
                + " drifts. Secret values are masked (***) as stored. Times are UTC; durations in seconds.</p>\n");
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
                + "however many rows and runs tell its story. drifts found = corrected + failed + excepted + left in place.</p>\n<dl>\n");
        for (Measure measure : Measure.values()) {
            out.write("<dt>" + escape(measure.label()) + "</dt><dd>" + escape(measure.definition()) + "</dd>\n");
        }
        out.write("<dt>mean time to correct</dt><dd>" + escape(Measure.TIME_TO_CORRECT) + "</dd>\n</dl>\n");
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
