package io.driftwarden.kube;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Removing several values from one object by JSON pointer. */
public final class Pointers {

    private Pointers() {
    }

    /** The pointers ordered so that removing them one after another keeps the rest valid (later list indexes first). */
    public static List<String> removalOrder(List<String> pointers) {
        List<String> ordered = new ArrayList<>(pointers);
        ordered.sort(Comparator.comparing(Pointers::sortable).reversed());
        return ordered;
    }

    /** Removes the value at each pointer from {@code root}. */
    public static void removeAll(ObjectNode root, List<String> pointers) {
        for (String pointer : removalOrder(pointers)) {
            JsonPointer at = JsonPointer.compile(pointer);
            JsonNode parent = root.at(at.head());
            if (parent instanceof ObjectNode object) {
                object.remove(at.last().getMatchingProperty());
            } else if (parent instanceof ArrayNode array && at.last().getMatchingIndex() < array.size()) {
                array.remove(at.last().getMatchingIndex());
            }
        }
    }

    private static String sortable(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String part : pointer.split("/")) {
            out.append('/').append(part.matches("\\d+") ? String.format("%010d", Integer.parseInt(part)) : part);
        }
        return out.toString();
    }
}
