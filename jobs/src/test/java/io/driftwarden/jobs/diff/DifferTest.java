package io.driftwarden.jobs.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The differ on real objects from real clusters (live-objects/SOURCE.md says what makes each pair hard). */
class DifferTest {

    private final Differ differ = new Differ();

    @ParameterizedTest
    @ValueSource(strings = {"deployment", "wordpress", "spinnaker-sa", "endpoints", "grafana-clusterrole"})
    void reportsNoDriftWhenTheServerOnlyAddedWhatItOwns(String pair) throws IOException {
        // given what Git held and what the cluster stored afterwards
        ObjectNode config = load(pair + "-config.json");
        JsonNode live = load(pair + "-live.json");

        // when
        Drift drift = differ.diff(desired(config), live, Normalizer.noop());

        // then
        assertThat(drift.type()).as(drift.maskedDiff()).isEqualTo(DriftType.IN_SYNC);
        assertThat(drift.paths()).isEmpty();
    }

    static Stream<Arguments> oneFieldChangedInGit() {
        return Stream.of(
                Arguments.of("deployment", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("spec")).put("replicas", 3),
                        "spec.replicas"),
                Arguments.of("deployment", (Consumer<ObjectNode>) c -> container(c).put("image", "gcr.io/heptio-images/ks-guestbook-demo:0.3"),
                        "spec.template.spec.containers[name=guestbook-ui].image"),
                Arguments.of("deployment", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("metadata").get("labels")).put("app.kubernetes.io/instance", "other"),
                        "metadata.labels[\"app.kubernetes.io/instance\"]"),
                Arguments.of("deployment", (Consumer<ObjectNode>) c -> ((ObjectNode) ((ArrayNode) container(c).get("env")).get(0)).put("value", "else"),
                        "spec.template.spec.containers[name=guestbook-ui].env[name=VAR1].value"),
                Arguments.of("wordpress", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("data")).put("wordpress-password", "bmV3LXZhbHVl"),
                        "data.wordpress-password"),
                Arguments.of("spinnaker-sa", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("metadata").get("labels")).put("release", "next"),
                        "metadata.labels.release"),
                Arguments.of("endpoints", (Consumer<ObjectNode>) c -> port(c, 2).put("port", 8984),
                        "subsets[0].ports[port=8984]"),
                Arguments.of("grafana-clusterrole", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("metadata").get("labels")).put("chart", "grafana-1.21.3"),
                        "metadata.labels.chart"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("oneFieldChangedInGit")
    void reportsDriftOnExactlyThePathChangedInGit(String pair, Consumer<ObjectNode> change, String path) throws IOException {
        // given Git changed one field after the live object was stored
        ObjectNode config = load(pair + "-config.json");
        change.accept(config);

        // when
        Drift drift = differ.diff(desired(config), load(pair + "-live.json"), Normalizer.noop());

        // then
        assertThat(drift.type()).isEqualTo(DriftType.MODIFIED);
        assertThat(drift.paths()).containsExactly(path);
    }

    @Test
    void masksSecretValuesInTheDiffAndTheLastAppliedAnnotation() throws IOException {
        // given a Secret whose value changed in Git; the live last-applied annotation holds another value
        ObjectNode config = load("wordpress-config.json");
        ((ObjectNode) config.get("data")).put("wordpress-password", "bmV3LXZhbHVl");
        ((ObjectNode) config.get("metadata")).putObject("annotations").put("note", "Xkt2T0tjMk5PdQ==");

        // when
        Drift drift = differ.diff(desired(config), load("wordpress-live.json"), Normalizer.noop());

        // then
        assertThat(drift.paths()).contains("data.wordpress-password", "metadata.annotations.note");
        assertThat(drift.maskedDiff()).doesNotContain("bmV3LXZhbHVl", "Skt2T0tjMk5PdQ==", "Xkt2T0tjMk5PdQ==").contains("***");
    }

    @Test
    void comparesQuantitiesIntOrStringAndEmptyValuesByMeaning() {
        // given Git and live spell the same values differently
        ObjectNode git = json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","namespace":"n","annotations":{}},
                 "spec":{"paused":false,"template":{"spec":{"containers":[{"name":"c","args":[],
                   "resources":{"limits":{"cpu":"0.5","memory":"1Gi"}},"ports":[{"containerPort":8080}]}]}},
                   "strategy":{"rollingUpdate":{"maxSurge":1}}}}""");
        JsonNode live = json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","namespace":"n","uid":"u"},
                 "spec":{"template":{"spec":{"containers":[{"name":"sidecar"},{"name":"c",
                   "resources":{"limits":{"cpu":"500m","memory":"1073741824"}},"ports":[{"containerPort":8080,"protocol":"TCP"}]}]}},
                   "strategy":{"rollingUpdate":{"maxSurge":"1"}}},
                 "status":{"replicas":1}}""");

        // when
        Drift drift = differ.diff(desired(git), live, Normalizer.noop());

        // then
        assertThat(drift.type()).as(drift.maskedDiff()).isEqualTo(DriftType.IN_SYNC);
    }

    @Test
    void treatsAnAtomicListThatGrewLiveAsDrift() {
        ObjectNode git = json("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"n"},
                 "spec":{"containers":[{"name":"c","args":["--a"]}]}}""");
        JsonNode live = json("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"n"},
                 "spec":{"containers":[{"name":"c","args":["--a","--b"]}]}}""");

        Drift drift = differ.diff(desired(git), live, Normalizer.noop());

        assertThat(drift.paths()).containsExactly("spec.containers[name=c].args");
    }

    @Test
    void foldsStringDataIntoDataAsTheServerDoes() {
        ObjectNode git = json("""
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"n"},"stringData":{"password":"pw-123"}}""");
        JsonNode live = json("""
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"n"},"data":{"password":"cHctMTIz"}}""");

        Drift drift = differ.diff(List.of(desired(git)), java.util.Map.of(desired(git).key(), live), List.of()).get(0);

        assertThat(drift.type()).isEqualTo(DriftType.IN_SYNC);
    }

    @Test
    void ignoresFieldsNamedByAnIgnoreRule() {
        ObjectNode git = json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","namespace":"n"},"spec":{"replicas":3}}""");
        JsonNode live = json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","namespace":"n"},"spec":{"replicas":7}}""");
        var rule = new io.driftwarden.config.IgnoreRule(null, "Deployment", null, null, List.of("/spec/replicas"));

        Drift drift = differ.diff(List.of(desired(git)), java.util.Map.of(desired(git).key(), live), List.of(rule)).get(0);

        assertThat(drift.type()).isEqualTo(DriftType.IN_SYNC);
    }

    private static ObjectNode container(ObjectNode deployment) {
        return (ObjectNode) deployment.get("spec").get("template").get("spec").get("containers").get(0);
    }

    private static ObjectNode port(ObjectNode endpoints, int index) {
        return (ObjectNode) endpoints.get("subsets").get(0).get("ports").get(index);
    }

    private static DesiredObject desired(ObjectNode manifest) {
        JsonNode meta = manifest.get("metadata");
        ResourceKey key = ResourceKey.of(manifest.get("apiVersion").asString(), manifest.get("kind").asString(),
                meta.path("namespace").asString(""), meta.get("name").asString());
        return new DesiredObject(key, manifest, "test");
    }

    private static ObjectNode load(String name) throws IOException {
        try (InputStream in = DifferTest.class.getResourceAsStream("/live-objects/diff/" + name)) {
            return (ObjectNode) Serialization.jsonMapper().readTree(in);
        }
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) Serialization.jsonMapper().readTree(text);
    }
}
