package io.driftwarden.jobs.diff;

import io.driftwarden.jobs.resource.ResourceKey;
import tools.jackson.databind.JsonNode;

/** Rewrites an object (desired or live) before comparison. Implementations change the node they are given. */
@FunctionalInterface
public interface Normalizer {

    JsonNode normalize(ResourceKey key, JsonNode object);

    static Normalizer noop() {
        return (key, object) -> object;
    }

    default Normalizer andThen(Normalizer next) {
        return (key, object) -> next.normalize(key, normalize(key, object));
    }
}
