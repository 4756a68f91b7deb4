package io.driftwarden.notify.message;

import io.driftwarden.notify.Digest;
import io.driftwarden.notify.Item;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Microsoft Teams message for an incoming webhook or a Workflows ("Post to a channel when a webhook request is
 * received") webhook, as Microsoft documents it: {@code {"type":"message","attachments":[{"contentType":
 * "application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{AdaptiveCard 1.4}}]}}. The card has a title
 * TextBlock, then per item a bold TextBlock and a FactSet; links are Markdown ({@code [text](url)}), which TextBlocks
 * render. Text from rows is put in plain TextBlock and Fact values, its Markdown link syntax neutralised.
 */
public final class TeamsMessage {

    private TeamsMessage() {
    }

    public static ObjectNode of(Digest digest) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode message = json.objectNode().put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject()
                .put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content")
                .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("type", "AdaptiveCard").put("version", "1.4");
        card.putObject("msteams").put("width", "Full");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", plain(digest.title())).put("weight", "Bolder").put("size", "Medium")
                .put("wrap", true);
        for (Item item : Facts.shown(digest)) {
            body.addObject().put("type", "TextBlock").put("text", plain(item.what())).put("weight", "Bolder").put("wrap", true)
                    .put("separator", true);
            ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
            for (Facts.Fact fact : Facts.of(item)) {
                facts.addObject().put("title", fact.label()).put("value", fact.link() != null
                        ? "[" + plain(fact.value()) + "](" + fact.link() + ")" : plain(fact.value()));
            }
        }
        if (Facts.more(digest) != null) {
            body.addObject().put("type", "TextBlock").put("text", plain(Facts.more(digest))).put("isSubtle", true).put("wrap", true);
        }
        if (!digest.excepted().isEmpty()) {
            body.addObject().put("type", "TextBlock").put("text", "Covered by approved exceptions (not corrected)").put("weight", "Bolder")
                    .put("wrap", true).put("separator", true);
            ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
            digest.excepted().stream().limit(20).forEach(item -> facts.addObject().put("title", plain(item.what()))
                    .put("value", "exception " + plain(item.exception())));
        }
        body.addObject().put("type", "TextBlock").put("text", "run " + plain(digest.runId())).put("isSubtle", true).put("wrap", true);
        return message;
    }

    /** Row text with Markdown's link and emphasis characters escaped, so a name renders as itself. */
    static String plain(String text) {
        return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("*", "\\*").replace("_", "\\_");
    }
}
