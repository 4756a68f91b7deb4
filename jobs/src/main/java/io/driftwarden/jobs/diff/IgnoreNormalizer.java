package io.driftwarden.jobs.diff;

import io.driftwarden.config.IgnoreRule;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.List;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Removes the fields a binding's ignore rules name (JSON pointers) from the objects the rules select. */
final class IgnoreNormalizer implements Normalizer {

    private final List<IgnoreRule> rules;

    IgnoreNormalizer(List<IgnoreRule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public JsonNode normalize(ResourceKey key, JsonNode object) {
        for (IgnoreRule rule : rules) {
            if (rule.matches(key.group(), key.kind(), key.namespace(), key.name())) {
                rule.jsonPointers().forEach(pointer -> remove(object, JsonPointer.compile(pointer)));
            }
        }
        return object;
    }

    private static void remove(JsonNode object, JsonPointer pointer) {
        JsonNode parent = object.at(pointer.head());
        String last = pointer.last().getMatchingProperty();
        if (parent instanceof ObjectNode map) {
            map.remove(last);
        } else if (parent instanceof ArrayNode list && pointer.last().getMatchingIndex() >= 0
                && pointer.last().getMatchingIndex() < list.size()) {
            list.remove(pointer.last().getMatchingIndex());
        }
    }
}
