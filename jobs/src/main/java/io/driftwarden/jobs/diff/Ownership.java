package io.driftwarden.jobs.diff;

import io.driftwarden.kube.FieldPath;
import io.driftwarden.kube.FieldTree;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Who set which field of a live object: its {@code metadata.managedFields}, one field set per entry. */
final class Ownership {

    record Entry(String manager, String operation, FieldTree fields) {
    }

    private final List<Entry> entries;

    private Ownership(List<Entry> entries) {
        this.entries = entries;
    }

    static Ownership of(JsonNode live) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode entry : live.path("metadata").path("managedFields")) {
            if (entry.path("fieldsV1").isObject()) {
                entries.add(new Entry(entry.path("manager").asString(""), entry.path("operation").asString(""),
                        FieldTree.ofFieldsV1(entry.get("fieldsV1"))));
            }
        }
        return new Ownership(entries);
    }

    /** The entries that own {@code path} or something below it, with their node there. */
    List<Owned> owners(FieldPath path) {
        List<Owned> owners = new ArrayList<>();
        for (Entry entry : entries) {
            FieldTree node = entry.fields().find(path);
            if (node != null) {
                owners.add(new Owned(entry.manager(), node.isMember()));
            }
        }
        return owners;
    }

    /** A manager owning a path; {@code whole} when the path itself is in its set, not only fields below it. */
    record Owned(String manager, boolean whole) {
    }
}
