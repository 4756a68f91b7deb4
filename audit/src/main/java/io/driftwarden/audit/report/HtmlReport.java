package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditEntry;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

/**
 * One self-contained HTML page (no script, no network): the summary per cluster and binding, the drifts found per
 * day as an inline SVG bar chart, and every row as a table (diffs already masked as stored). Rows are streamed.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1b1f24}
            h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
            table{border-collapse:collapse;font-size:.85rem;width:100%}
            th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
            th{background:#f6f8fa}td.num{text-align:right}
            pre{margin:0;white-space:pre-wrap;font-size:.8rem}
            .CORRECTED{color:#1a7f37}.FAILED{color:#cf222e;font-weight:600}.DETECTED{color:#9a6700}.UNMANAGED{color:#6e7781}
            .bar{fill:#0969da}.axis{stroke:#8c959f}.label{font-size:10px;fill:#57606a}
            """;

    private HtmlReport() {
    }

    /** Writes the page; {@code range} says which rows it covers (e.g. "all rows" or "since … until …"). */
    public static void write(Summary summary, Rows rows, String range, Writer out) throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>driftwarden audit report</title>\n");
        out.write("<style>\n" + STYLE + "</style>\n</head>\n<body>\n<h1>driftwarden audit report</h1>\n");
        out.write("<p>" + escape(range) + ": " + summary.rows() + " rows. Secret values are masked (***) as stored.</p>\n");
        summaryTable(summary, out);
        out.write("<h2>Drifts found per day</h2>\n");
        chart(summary.driftsPerDay(), out);
        out.write("<h2>Rows</h2>\n<table>\n<thead><tr><th>seq</th><th>time</th><th>run</th><th>binding</th><th>object</th>"
                + "<th>event</th><th>drift</th><th>action</th><th>diff</th><th>error</th><th>commit</th></tr></thead>\n<tbody>\n");
        rows.each(record -> {
            AuditEntry e = record.entry();
            out.write("<tr><td class=\"num\">" + record.seq() + "</td><td>" + record.time() + "</td><td>" + escape(e.runId())
                    + "</td><td>" + escape(e.binding()) + "</td><td>" + escape(record.subject()) + "</td><td class=\"" + e.event().name()
                    + "\">" + e.event().name() + "</td><td>" + escape(e.driftType()) + "</td><td>" + escape(e.action())
                    + "</td><td><pre>" + escape(e.maskedDiff()) + "</pre></td><td><pre>" + escape(e.error()) + "</pre></td><td>"
                    + escape(e.commit() == null ? null : e.commit().substring(0, Math.min(12, e.commit().length()))) + "</td></tr>\n");
        });
        out.write("</tbody>\n</table>\n</body>\n</html>\n");
    }

    private static void summaryTable(Summary summary, Writer out) throws IOException {
        out.write("<h2>Summary per cluster and binding</h2>\n<table>\n<thead><tr><th>cluster</th><th>binding</th>"
                + "<th>objects managed</th><th>in sync at last run</th><th>drifts found</th><th>corrected</th><th>failed</th>"
                + "<th>unmanaged</th><th>mean time to correct</th><th>last successful run</th></tr></thead>\n<tbody>\n");
        for (Summary.BindingSummary b : summary.bindings()) {
            out.write("<tr><td>" + escape(b.cluster()) + "</td><td>" + escape(b.binding()) + "</td><td class=\"num\">" + b.objectsManaged()
                    + "</td><td class=\"num\">" + (b.inSyncPercent() == null ? "–" : b.inSyncPercent() + " %") + "</td><td class=\"num\">"
                    + b.driftsFound() + "</td><td class=\"num\">" + b.corrected() + "</td><td class=\"num\">" + b.failed()
                    + "</td><td class=\"num\">" + b.unmanaged() + "</td><td>" + human(b.meanTimeToCorrect()) + "</td><td>"
                    + (b.lastSuccessfulRun() == null ? "–" : b.lastSuccessfulRun().toString()) + "</td></tr>\n");
        }
        out.write("</tbody>\n</table>\n");
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
        out.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + (height + 40)
                + "\" role=\"img\" aria-label=\"drifts found per day\">\n");
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
        out.write("</svg>\n");
    }

    private static String human(Duration duration) {
        if (duration == null) {
            return "–";
        }
        long seconds = duration.toSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        return seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
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
