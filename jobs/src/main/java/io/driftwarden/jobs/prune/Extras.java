package io.driftwarden.jobs.prune;

import io.driftwarden.audit.Inventory;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.diff.DriftType;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.resource.ResourceKey.ListGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects a binding is responsible for that Git no longer declares: those in its inventory, and those carrying its
 * {@code driftwarden.io/binding} label, still in the cluster and not rendered now. Each is drift of type
 * {@code EXTRA} whose object holds only the live metadata the guards read (never a Secret's values).
 */
public final class Extras {

    private Extras() {
    }

    /** The list groups of the inventory (so a kind that left Git entirely is still read). */
    public static Set<ListGroup> groupsOf(Collection<Inventory.Entry> inventory) {
        Set<ListGroup> groups = new TreeSet<>();
        inventory.forEach(entry -> groups.add(key(entry).listGroup()));
        return groups;
    }

    /** The binding's objects in {@code live} that are neither rendered now ({@code desired}) nor gone. */
    public static List<Drift> find(String binding, List<DesiredObject> desired, Map<ResourceKey, JsonNode> live,
                                   List<Inventory.Entry> inventory) {
        Set<ResourceKey> declared = desired.stream().map(DesiredObject::key).collect(Collectors.toSet());
        Map<ResourceKey, String> candidates = new LinkedHashMap<>();
        inventory.forEach(entry -> candidates.put(key(entry), "the inventory of binding " + binding));
        live.forEach((key, object) -> {
            if (binding.equals(object.path("metadata").path("labels").path(Renderer.BINDING_LABEL).asString(""))) {
                candidates.putIfAbsent(key, "label " + Renderer.BINDING_LABEL + "=" + binding);
            }
        });
        List<Drift> extras = new ArrayList<>();
        candidates.forEach((key, origin) -> {
            JsonNode object = live.get(key);
            if (object != null && !declared.contains(key)) {
                extras.add(new Drift(new DesiredObject(key, metadataOnly(object), origin), DriftType.EXTRA, List.of(),
                        "- " + key.subject() + ": no longer in Git (in " + origin + ")", ""));
            }
        });
        return extras;
    }

    /**
     * The inventory after an enforcing run: what this binding owns. A declared object enters it when this run wrote it
     * (created, configured, replaced) or it stands with this binding's label; an extra stays while it stands and no other
     * binding's label claims it. An object the tenancy gate refused never enters it (nor stays), so prune never deletes what
     * the binding may not write.
     */
    public static List<Inventory.Entry> inventoryAfter(String binding, List<DesiredObject> desired, List<Drift> extras,
                                                       Map<ResourceKey, JsonNode> live, List<Change> changes, Set<ResourceKey> refused) {
        Map<ResourceKey, Action> actions = changes.stream().collect(Collectors.toMap(Change::key, Change::action, (a, b) -> b));
        Set<ResourceKey> kept = new TreeSet<>();
        for (DesiredObject object : desired) {
            Action action = actions.get(object.key());
            boolean written = action == Action.CREATED || action == Action.CONFIGURED || action == Action.REPLACED;
            if (!refused.contains(object.key()) && (written || labelled(binding, live.get(object.key())))) {
                kept.add(object.key());
            }
        }
        for (Drift extra : extras) {
            String claimedBy = PruneGuards.claimedBy(extra);
            if (!refused.contains(extra.key()) && actions.get(extra.key()) != Action.DELETED
                    && (claimedBy.isEmpty() || claimedBy.equals(binding))) {
                kept.add(extra.key());
            }
        }
        return kept.stream().map(k -> new Inventory.Entry(k.apiVersion(), k.kind(), k.namespace(), k.name())).toList();
    }

    private static boolean labelled(String binding, JsonNode live) {
        return live != null && binding.equals(live.path("metadata").path("labels").path(Renderer.BINDING_LABEL).asString(""));
    }

    private static ResourceKey key(Inventory.Entry entry) {
        return ResourceKey.of(entry.apiVersion(), entry.kind(), entry.namespace(), entry.name());
    }

    private static ObjectNode metadataOnly(JsonNode live) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("apiVersion", live.path("apiVersion").asString(""));
        object.put("kind", live.path("kind").asString(""));
        ObjectNode metadata = object.putObject("metadata");
        for (String field : List.of("name", "namespace", "labels", "annotations")) {
            if (live.path("metadata").has(field)) {
                metadata.set(field, live.path("metadata").get(field).deepCopy());
            }
        }
        return object;
    }
}
