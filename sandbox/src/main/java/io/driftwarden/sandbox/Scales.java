package io.driftwarden.sandbox;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The {@code autoscaling/v1 Scale} view of an object with a scale subresource, as the API server answers it. */
final class Scales {

    private Scales() {
    }

    /**
     * The object's Scale: {@code spec.replicas} (1 when unset: "Defaults to 1" on Replicas in k8s.io/api apps/v1 and
     * core/v1 types.go, applied by the API server's defaulting, which the sandbox does not run),
     * {@code status.replicas} and the label selector as text.
     */
    static ObjectNode of(JsonNode object) {
        ObjectNode scale = JsonNodeFactory.instance.objectNode();
        scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        JsonNode source = object.path("metadata");
        for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (source.hasNonNull(field)) {
                metadata.set(field, source.get(field));
            }
        }
        scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", object.path("status").path("replicas").asInt(0));
        JsonNode selector = object.path("spec").path("selector");
        JsonNode labels = selector.has("matchLabels") ? selector.get("matchLabels") : selector;
        Map<String, String> sorted = new TreeMap<>();
        labels.properties().forEach(e -> {
            if (e.getValue().isString()) {
                sorted.put(e.getKey(), e.getValue().asString());
            }
        });
        if (!sorted.isEmpty()) {
            status.put("selector", sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
        }
        return scale;
    }
}
