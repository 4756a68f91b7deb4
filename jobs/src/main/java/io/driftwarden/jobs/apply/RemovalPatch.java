package io.driftwarden.jobs.apply;

import io.driftwarden.jobs.diff.DriftPath;
import io.driftwarden.jobs.schema.Pointers;
import java.util.ArrayList;
import java.util.List;
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
}
