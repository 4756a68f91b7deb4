package io.driftwarden.notify.message;

import io.driftwarden.notify.CommitLinks;
import io.driftwarden.notify.Digest;
import io.driftwarden.notify.Item;
import io.driftwarden.notify.PathChange;
import java.util.ArrayList;
import java.util.List;

/** What every message shows of an item, in order, as (label, value, link) facts each service renders its own way. */
public final class Facts {

    /** Items shown in one message at most; the rest are counted ("and N more"). Slack allows 50 blocks a message. */
    public static final int MAX_ITEMS = 40;

    private Facts() {
    }

    /** One line of an item: {@code link} is an https URL for {@code value}, or null. */
    public record Fact(String label, String value, String link) {
    }

    /** The item's facts: where, what drifted and who changed it, what was done, the row's text, health, exception, commit. */
    public static List<Fact> of(Item item) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("binding", item.binding() + (item.cluster() == null ? "" : " on cluster " + item.cluster()), null));
        List<PathChange> changes = item.pathChanges();
        if (!changes.isEmpty()) {
            facts.add(new Fact(changes.size() == 1 ? "path" : "paths", String.join("; ", changes.stream().map(PathChange::describe).toList()),
                    null));
        }
        facts.add(new Fact("done", item.done(), null));
        if (item.message() != null && !item.message().isBlank()) {
            facts.add(new Fact("FAILED".equals(item.outcome()) ? "error" : "why", oneLine(item.message(), 500), null));
        }
        if (item.healthState() != null) {
            facts.add(new Fact("health", item.healthState() + (item.healthMessage() == null || item.healthMessage().isBlank() ? ""
                    : ": " + oneLine(item.healthMessage(), 300)), null));
        }
        if (item.exception() != null && !"EXCEPTED".equals(item.outcome())) {
            facts.add(new Fact("exception", item.exception(), null));
        }
        if (item.commit() != null) {
            String link = CommitLinks.link(item.sourceUrl(), item.commit());
            facts.add(new Fact("commit", link != null ? item.commit() : item.commit() + (item.sourceUrl() == null ? "" : " of "
                    + item.sourceUrl()), link));
        }
        return facts;
    }

    /** The items a message shows, at most {@link #MAX_ITEMS}. */
    public static List<Item> shown(Digest digest) {
        return digest.items().size() <= MAX_ITEMS ? digest.items() : digest.items().subList(0, MAX_ITEMS);
    }

    /** {@code …and 3 more} when some items were not shown, else null. */
    public static String more(Digest digest) {
        int hidden = digest.items().size() - shown(digest).size();
        return hidden <= 0 ? null : "…and " + hidden + " more (driftwarden history --run " + digest.runId() + ")";
    }

    /** The digest as plain text: the title, then a paragraph per item, then the excepted items. */
    public static String plainText(Digest digest) {
        StringBuilder text = new StringBuilder(digest.title()).append("\n");
        for (Item item : shown(digest)) {
            text.append("\n* ").append(item.what()).append("\n");
            for (Fact fact : of(item)) {
                text.append("  ").append(fact.label()).append(": ").append(fact.link() != null ? fact.link() : fact.value()).append("\n");
            }
        }
        if (more(digest) != null) {
            text.append("\n").append(more(digest)).append("\n");
        }
        if (!digest.excepted().isEmpty()) {
            text.append("\nCovered by approved exceptions (not corrected):\n");
            for (Item item : digest.excepted()) {
                text.append("* ").append(item.what()).append(": exception ").append(item.exception()).append("\n");
            }
        }
        text.append("\nrun ").append(digest.runId()).append(" · driftwarden history --run ").append(digest.runId()).append("\n");
        return text.toString();
    }

    /** Text cut at {@code max} characters, its line breaks kept. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** Text on one line, cut at {@code max} characters. */
    static String oneLine(String text, int max) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
