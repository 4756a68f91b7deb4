package io.driftwarden.jobs.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.Inventory;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What enters a binding's inventory after an enforcing run — the list prune deletes from — as a table: each row an object
 * Git declares (or that left Git), what the run did with it, and whether the binding may own it from now on.
 */
class InventoryAdmissionTest {

    private static final String OURS = "{\"driftwarden.io/binding\":\"team-a\"}";

    static Stream<Arguments> rows() {
        ResourceKey cm = ResourceKey.of("v1", "ConfigMap", "team-a", "settings");
        ResourceKey theirs = ResourceKey.of("v1", "ConfigMap", "team-b", "their-config");
        ResourceKey namespace = ResourceKey.of("v1", "Namespace", "", "team-b");
        return Stream.of(
                declared("declared and created this run", cm, null, Action.CREATED, false, true),
                declared("declared, in sync and labelled by this binding", cm, PruneGuardsTest.live("settings", OURS, ""), Action.UNCHANGED, false, true),
                declared("declared, its write failed, not labelled", cm, PruneGuardsTest.live("settings", "{}", ""), Action.FAILED, false, false),
                declared("another team's ConfigMap, refused but standing", theirs, PruneGuardsTest.live("their-config", "{}", ""), Action.REFUSED,
                        true, false),
                declared("another team's Namespace, refused but standing", namespace, PruneGuardsTest.live("team-b", "{}", ""), Action.REFUSED,
                        true, false),
                declared("refused though labelled by this binding (an earlier version wrote it)", theirs,
                        PruneGuardsTest.live("their-config", OURS, ""), Action.REFUSED, true, false),
                left("left Git, kept because prune is off", PruneGuardsTest.extra("v1", "ConfigMap", "team-a", "old", OURS, ""), Action.SKIPPED,
                        false, true),
                left("left Git, deleted", PruneGuardsTest.extra("v1", "ConfigMap", "team-a", "old", OURS, ""), Action.DELETED, false, false),
                left("left Git, another binding claims it", PruneGuardsTest.extra("v1", "ConfigMap", "team-a", "c",
                        "{\"driftwarden.io/binding\":\"team-b\"}", ""), Action.SKIPPED, false, false),
                left("left Git, its delete refused (a stale inventory)", PruneGuardsTest.extra("v1", "ConfigMap", "kube-system", "x", OURS, ""),
                        Action.REFUSED, true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void onlyWhatTheBindingWroteOrLabelsAndMayWriteIsKept(String object, List<DesiredObject> desired, List<Drift> extras,
                                                          Map<ResourceKey, JsonNode> live, Change change, Set<ResourceKey> refused,
                                                          boolean admitted) {
        List<Inventory.Entry> inventory = Extras.inventoryAfter("team-a", desired, extras, live, List.of(change), refused);

        assertThat(inventory).as(object).hasSize(admitted ? 1 : 0);
    }

    private static Arguments declared(String object, ResourceKey key, JsonNode live, Action action, boolean refused, boolean admitted) {
        Map<ResourceKey, JsonNode> state = new HashMap<>();
        if (live != null) {
            state.put(key, live);
        }
        return Arguments.of(object, List.of(new DesiredObject(key, JsonNodeFactory.instance.objectNode(), "a/x.yaml:1")), List.of(), state,
                new Change(key, action, ""), refused ? Set.of(key) : Set.of(), admitted);
    }

    private static Arguments left(String object, Drift extra, Action action, boolean refused, boolean admitted) {
        return Arguments.of(object, List.of(), List.of(extra), Map.of(extra.key(), extra.desired().manifest()),
                new Change(extra.key(), action, ""), refused ? Set.of(extra.key()) : Set.of(), admitted);
    }
}
