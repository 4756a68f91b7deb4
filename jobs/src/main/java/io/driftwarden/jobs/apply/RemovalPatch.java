package io.driftwarden.jobs.apply;

import io.driftwarden.jobs.diff.DriftPath;
import io.driftwarden.kube.Pointers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The JSON Patch (RFC 6902) that removes live-only drift from an object: server-side apply never removes fields
 * another manager owns. Every removal is guarded by a {@code test} of the value it removes, taken from the object
 * the patch was computed on, so a change in between (a list reordered or grown) fails the patch with 422
 * instead of removing the wrong element.
 */
final class RemovalPatch {

    private RemovalPatch() {
    }

    /** The patch for {@code paths} against {@code current}; null when none of them is there any more. */
    static ArrayNode of(List<DriftPath> paths, JsonNode current) {
        List<String> pointers = new ArrayList<>();
        for (DriftPath path : paths) {
            String pointer = path.path().pointer(current);
            if (pointer != null && !pointers.contains(pointer)) {
                pointers.add(pointer);
            }
        }
        if (pointers.isEmpty()) {
            return null;
        }
        pointers = emptiedParents(pointers, current);
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        List<String> ordered = Pointers.removalOrder(pointers);
        for (String pointer : ordered) {
            patch.addObject().put("op", "test").put("path", pointer).set("value", current.at(pointer));
        }
        for (String pointer : ordered) {
            patch.addObject().put("op", "remove").put("path", pointer);
        }
        return patch;
    }

    /**
     * Where the removals would leave a list or map empty, removes it instead (an empty {@code env: []} left behind
     * would otherwise become a field of the patch's manager, and Git does not set it).
     */
    private static List<String> emptiedParents(List<String> pointers, JsonNode current) {
        Map<String, List<String>> byParent = new LinkedHashMap<>();
        for (String pointer : pointers) {
            byParent.computeIfAbsent(pointer.substring(0, pointer.lastIndexOf('/')), p -> new ArrayList<>()).add(pointer);
        }
        List<String> result = new ArrayList<>();
        byParent.forEach((parent, children) -> {
            JsonNode container = current.at(parent);
            if (!parent.isEmpty() && container.isContainer() && container.size() == children.size()) {
                result.add(parent);
            } else {
                result.addAll(children);
            }
        });
        return result;
    }
}
