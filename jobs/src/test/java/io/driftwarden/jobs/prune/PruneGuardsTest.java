package io.driftwarden.jobs.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftManagers;
import io.driftwarden.config.HelmSettings;
import io.driftwarden.config.Mode;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.diff.DriftType;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Prune guards as a table: each row an object that left Git (or never was this binding's) and whether it may be deleted.
 * A Namespace's contents are given as a cluster's LISTs would return them.
 */
class PruneGuardsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OURS = "{\"driftwarden.io/binding\":\"team-a\"}";

    static Stream<Arguments> rows() {
        BindingSpec enforce = binding(Mode.ENFORCE, true, false);
        Map<ResourceKey, JsonNode> onlyOurs = Map.of(
                key("v1", "ConfigMap", "team-x", "settings"), live("settings", OURS, ""),
                key("v1", "ServiceAccount", "team-x", "default"), live("default", "{}", ""),
                key("v1", "ConfigMap", "team-x", "kube-root-ca.crt"), live("kube-root-ca.crt", "{}", ""),
                key("v1", "Event", "team-x", "web.1"), live("web.1", "{}", ""),
                key("v1", "Pod", "team-x", "web-1"), live("web-1", "{}", ",\"ownerReferences\":[{\"kind\":\"ReplicaSet\",\"name\":\"web\"}]"));
        Map<ResourceKey, JsonNode> withAnotherTeams = Map.of(
                key("v1", "ConfigMap", "team-x", "settings"), live("settings", OURS, ""),
                key("apps/v1", "Deployment", "team-x", "their-app"), live("their-app", "{\"driftwarden.io/binding\":\"team-b\"}", ""),
                key("v1", "Secret", "team-x", "hand-made"), live("hand-made", "{}", ""));
        return Stream.of(
                row("a ConfigMap this binding applied", enforce, extra("v1", "ConfigMap", "team-a", "old", OURS, ""), 3, Map.of(), null),
                row("anything, in audit mode", binding(Mode.AUDIT, true, false), extra("v1", "ConfigMap", "team-a", "old", OURS, ""), 3, Map.of(),
                        "audit mode"),
                row("anything, with prune off", binding(Mode.ENFORCE, false, false), extra("v1", "ConfigMap", "team-a", "old", OURS, ""), 3,
                        Map.of(), "prune is off"),
                row("everything, when the path was emptied (createNamespace's Namespace does not count)", enforce,
                        extra("v1", "ConfigMap", "team-a", "old", OURS, ""), 0, Map.of(), "rendering produced no objects"),
                row("an object annotated prune: disabled", enforce,
                        extra("v1", "ConfigMap", "team-a", "keep", OURS, ",\"annotations\":{\"driftwarden.io/prune\":\"disabled\"}"), 3, Map.of(),
                        "annotated driftwarden.io/prune: disabled"),
                row("an object another binding labels", enforce, extra("v1", "ConfigMap", "team-a", "c", "{\"driftwarden.io/binding\":\"team-b\"}", ""),
                        3, Map.of(), "binding team-b claims it"),
                row("an object in the inventory whose label was removed by hand", enforce, extra("v1", "ConfigMap", "team-a", "c", "{}", ""), 3,
                        Map.of(), null),
                row("a Namespace, pruneNamespaces off", enforce, extra("v1", "Namespace", "", "team-x", OURS, ""), 3, onlyOurs,
                        "only with pruneNamespaces: true"),
                row("a Namespace holding another team's Deployment and a hand-made Secret", binding(Mode.ENFORCE, true, true),
                        extra("v1", "Namespace", "", "team-x", OURS, ""), 3, withAnotherTeams,
                        "holds 2 object(s) that are not binding team-a's (Deployment/team-x/their-app, Secret/team-x/hand-made)"),
                row("a Namespace holding only this binding's objects and what every namespace has", binding(Mode.ENFORCE, true, true),
                        extra("v1", "Namespace", "", "team-x", OURS, ""), 3, onlyOurs, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachCandidateGetsItsVerdict(String candidate, BindingSpec binding, Drift extra, int rendered,
                                     Map<ResourceKey, JsonNode> namespaceContents, String keptBecause) {
        Map<ResourceKey, String> kept = PruneGuards.kept(binding, rendered, 10, List.of(extra), Set.of(), ns -> namespaceContents);

        if (keptBecause == null) {
            assertThat(kept).as(candidate).isEmpty();
        } else {
            assertThat(kept.get(extra.key())).as(candidate).isNotNull().contains(keptBecause);
        }
    }

    @Test
    void aDeleteTheTenancyGateRefusesIsNeitherKeptNorCountedAgainstMaxPrune() {
        BindingSpec binding = binding(Mode.ENFORCE, true, false);
        Drift refused = extra("v1", "ConfigMap", "kube-system", "x", OURS, "");
        Drift ours = extra("v1", "ConfigMap", "team-a", "old", OURS, "");
        Function<String, Map<ResourceKey, JsonNode>> noLookups = ns -> {
            throw new AssertionError("no namespace to look into");
        };

        Map<ResourceKey, String> kept = PruneGuards.kept(binding, 3, 2, List.of(refused, ours), Set.of(refused.key()), noLookups);

        assertThat(kept).isEmpty(); // maxPrune defaults to 1 here: only the one deletable object counts
    }

    @Test
    void moreDeletableThanMaxPruneFailsBeforeAnyWrite() {
        BindingSpec binding = binding(Mode.ENFORCE, true, false);
        List<Drift> extras = List.of(extra("v1", "ConfigMap", "team-a", "a", OURS, ""), extra("v1", "ConfigMap", "team-a", "b", OURS, ""));

        assertThatThrownBy(() -> PruneGuards.kept(binding, 3, 2, extras, Set.of(), ns -> Map.of()))
                .isInstanceOf(PruneGuards.TooManyToPrune.class).hasMessageContaining("maxPrune 1");
    }

    private static Arguments row(String candidate, BindingSpec binding, Drift extra, int rendered, Map<ResourceKey, JsonNode> contents,
                                 String keptBecause) {
        return Arguments.of(candidate, binding, extra, rendered, contents, keptBecause);
    }

    private static ResourceKey key(String apiVersion, String kind, String namespace, String name) {
        return ResourceKey.of(apiVersion, kind, namespace, name);
    }

    static Drift extra(String apiVersion, String kind, String namespace, String name, String labels, String moreMetadata) {
        ObjectNode object = (ObjectNode) live(name, labels, moreMetadata);
        return new Drift(new DesiredObject(key(apiVersion, kind, namespace, name), object, "the inventory of binding team-a"),
                DriftType.EXTRA, List.of(), "", "");
    }

    static JsonNode live(String name, String labels, String moreMetadata) {
        return JSON.readTree("{\"metadata\":{\"name\":\"" + name + "\",\"labels\":" + labels + moreMetadata + "}}");
    }

    static BindingSpec binding(Mode mode, boolean prune, boolean pruneNamespaces) {
        return new BindingSpec("team-a", "repo", "a", "prod", "team-a", mode, false, null, List.of(), DriftManagers.KUBECTL,
                new HelmSettings("team-a", List.of(), JsonNodeFactory.instance.objectNode()), prune, null, List.of(), List.of(), false,
                pruneNamespaces, "driftwarden.yaml:7");
    }
}
