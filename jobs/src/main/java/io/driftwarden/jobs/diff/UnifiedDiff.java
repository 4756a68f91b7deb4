package io.driftwarden.jobs.diff;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.kube.ApplyMerge;
import io.driftwarden.kube.FieldTree;
import io.driftwarden.kube.FieldType;
import io.driftwarden.kube.Pointers;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A unified diff of an object's YAML, live → what the cluster will hold once corrected (Git's fields merged in as
 * server-side apply does, hand-added fields removed), as {@code kubectl diff} shows it. Status and server-owned
 * metadata are left out; Secret values and annotations are masked ({@code *** (changed)} where they differ).
 */
final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    static String of(ResourceKey key, JsonNode live, JsonNode desired, FieldType type, List<DriftPath> drifts) {
        ObjectNode before = clean(live);
        ObjectNode after = (ObjectNode) ApplyMerge.merge(before, clean(desired), type);
        List<String> removals = new ArrayList<>();
        for (DriftPath drift : drifts) {
            String pointer = drift.liveOnly() ? drift.path().pointer(after) : null;
            if (pointer != null) {
                removals.add(pointer);
            }
        }
        Pointers.removeAll(after, removals);
        if (SecretMasker.isSecret(key)) {
            maskSecret(before, after);
        }
        List<String> from = Serialization.asYaml(before).lines().toList();
        List<String> to = Serialization.asYaml(after).lines().toList();
        String subject = key.subject();
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff("live/" + subject, "git/" + subject, from,
                DiffUtils.diff(from, to), CONTEXT);
        return String.join("\n", lines);
    }

    private static ObjectNode clean(JsonNode object) {
        ObjectNode copy = object.isObject() ? (ObjectNode) object.deepCopy() : Serialization.jsonMapper().createObjectNode();
        copy.remove("status");
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            FieldTree.SERVER_METADATA.stream().filter(f -> !f.equals("name") && !f.equals("namespace")).forEach(metadata::remove);
        }
        return copy;
    }

    private static void maskSecret(ObjectNode before, ObjectNode after) {
        for (String field : List.of("data", "stringData")) {
            mask(before.get(field), after.get(field));
        }
        mask(before.path("metadata").get("annotations"), after.path("metadata").get("annotations"));
    }

    private static void mask(JsonNode before, JsonNode after) {
        if (after instanceof ObjectNode masked) {
            for (Map.Entry<String, JsonNode> entry : masked.properties()) {
                JsonNode old = before == null ? null : before.get(entry.getKey());
                boolean same = old != null && old.equals(entry.getValue());
                entry.setValue(masked.stringNode(same || old == null ? SecretMasker.MASK : SecretMasker.MASK + " (changed)"));
            }
        }
        if (before instanceof ObjectNode masked) {
            masked.properties().forEach(entry -> entry.setValue(masked.stringNode(SecretMasker.MASK)));
        }
    }
}
