package io.driftwarden.notify.message;

import io.driftwarden.notify.Digest;
import io.driftwarden.notify.Item;

/**
 * An e-mail's parts: a one-line subject (no line breaks, so no header can be smuggled in), the plain-text body
 * ({@link Facts#plainText}) and an HTML alternative with every text from a row escaped.
 */
public final class EmailText {

    private EmailText() {
    }

    public static String subject(Digest digest) {
        return Facts.oneLine(digest.title(), 200);
    }

    public static String plain(Digest digest) {
        return Facts.plainText(digest);
    }

    public static String html(Digest digest) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><h2>")
                .append(escape(digest.title())).append("</h2>");
        for (Item item : Facts.shown(digest)) {
            html.append("<h3>").append(escape(item.what())).append("</h3><table>");
            for (Facts.Fact fact : Facts.of(item)) {
                html.append("<tr><th align=\"left\">").append(escape(fact.label())).append("</th><td>");
                if (fact.link() != null) {
                    html.append("<a href=\"").append(escape(fact.link())).append("\">").append(escape(fact.value())).append("</a>");
                } else {
                    html.append(escape(fact.value()));
                }
                html.append("</td></tr>");
            }
            html.append("</table>");
        }
        if (Facts.more(digest) != null) {
            html.append("<p>").append(escape(Facts.more(digest))).append("</p>");
        }
        if (!digest.excepted().isEmpty()) {
            html.append("<h3>Covered by approved exceptions (not corrected)</h3><ul>");
            digest.excepted().forEach(item -> html.append("<li>").append(escape(item.what())).append(": exception ")
                    .append(escape(item.exception())).append("</li>"));
            html.append("</ul>");
        }
        return html.append("<p><small>run ").append(escape(digest.runId())).append("</small></p></body></html>").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
