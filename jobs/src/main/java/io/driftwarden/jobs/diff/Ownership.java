package io.driftwarden.jobs.diff;

import io.driftwarden.kube.FieldPath;
import io.driftwarden.kube.FieldTree;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Who set which field of a live object: its {@code metadata.managedFields}, one field set per entry. */
final class Ownership {

    record Entry(String manager, String operation, java.time.Instant time, FieldTree fields) {
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
                        time(entry.path("time").asString("")), FieldTree.ofFieldsV1(entry.get("fieldsV1"))));
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

    /**
     * Who last changed {@code path}: the entry whose field set holds the path itself or, failing that, its nearest
     * ancestor (a field Git sets that is absent live, a member of an atomic value); of several owners there, the latest.
     */
    ChangedBy changedBy(FieldPath path) {
        for (FieldPath at = path; !at.isEmpty(); at = at.parent()) {
            Entry latest = null;
            for (Entry entry : entries) {
                FieldTree node = entry.fields().find(at);
                if (node != null && node.isMember() && (latest == null || later(entry.time(), latest.time()))) {
                    latest = entry;
                }
            }
            if (latest != null) {
                return new ChangedBy(latest.manager(), latest.time());
            }
        }
        return ChangedBy.UNKNOWN;
    }

    /** When {@code manager} (which owns {@code path} or something at or below it) last changed its fields. */
    ChangedBy changedBy(FieldPath path, String manager) {
        java.time.Instant time = null;
        for (Entry entry : entries) {
            if (entry.manager().equals(manager) && (entry.fields().find(path) != null || owns(entry, path)) && later(entry.time(), time)) {
                time = entry.time();
            }
        }
        return new ChangedBy(manager, time);
    }

    private static boolean owns(Entry entry, FieldPath path) {
        for (FieldPath at = path; !at.isEmpty(); at = at.parent()) {
            FieldTree node = entry.fields().find(at);
            if (node != null && node.isMember()) {
                return true;
            }
        }
        return false;
    }

    private static boolean later(java.time.Instant a, java.time.Instant b) {
        return b == null || a != null && a.isAfter(b);
    }

    private static java.time.Instant time(String text) {
        try {
            return text.isEmpty() ? null : java.time.Instant.parse(text);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** A manager owning a path; {@code whole} when the path itself is in its set, not only fields below it. */
    record Owned(String manager, boolean whole) {
    }
}
