package io.driftwarden.notify.message;

import io.driftwarden.notify.Digest;
import io.driftwarden.notify.Item;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Slack incoming-webhook message as Slack documents it: {@code text} (the notification's fallback, plain) and
 * {@code blocks} — a {@code header} (plain_text, at most 150 characters), a {@code section} with {@code mrkdwn} text per
 * item (at most 3,000 characters each), and {@code context} blocks; at most 50 blocks. Text from rows is escaped
 * ({@code &}, {@code <}, {@code >}: Slack's control characters, so a name cannot become a link or a mention).
 */
public final class SlackMessage {

    private SlackMessage() {
    }

    public static ObjectNode of(Digest digest) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode message = json.objectNode().put("text", escape(digest.title()));
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", Facts.oneLine(digest.title(), 150));
        for (Item item : Facts.shown(digest)) {
            StringBuilder text = new StringBuilder("*").append(escape(item.what())).append("*");
            for (Facts.Fact fact : Facts.of(item)) {
                text.append("\n").append(escape(fact.label())).append(": ");
                text.append(fact.link() != null ? "<" + escape(fact.link()) + "|" + escape(shortSha(fact.value())) + ">" : escape(fact.value()));
            }
            section(blocks, Facts.cut(text.toString(), 3000));
        }
        if (Facts.more(digest) != null) {
            context(blocks, escape(Facts.more(digest)));
        }
        if (!digest.excepted().isEmpty()) {
            StringBuilder text = new StringBuilder("*Covered by approved exceptions (not corrected)*");
            digest.excepted().stream().limit(20).forEach(item -> text.append("\n• ").append(escape(item.what())).append(": exception ")
                    .append(escape(item.exception())));
            section(blocks, Facts.cut(text.toString(), 3000));
        }
        context(blocks, "run `" + escape(digest.runId()) + "` · `driftwarden history --run " + escape(digest.runId()) + "`");
        return message;
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
    }

    private static void context(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn").put("text", mrkdwn);
    }

    private static String shortSha(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    /** Slack's escaping of {@code &}, {@code <} and {@code >} in text. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
