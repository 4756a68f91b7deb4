package io.driftwarden.jobs.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwarden.config.ClusterSpec;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.resource.ResourceKey.ListGroup;
import io.driftwarden.jobs.support.FaultProxy;
import io.driftwarden.jobs.support.FaultProxy.Pass;
import io.driftwarden.jobs.support.FaultProxy.Status;
import io.driftwarden.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * LIST pages read straight into trees, through a proxy in front of the sandbox that answers some LISTs as a real
 * kube-apiserver does where the sandbox does not (items without {@code apiVersion} and {@code kind}, a refusal, a kind
 * it does not serve). What this cannot prove: a real server's paging under writes (the sandbox's paging is
 * {@code RequestFloorIT}'s).
 */
class LiveReaderIT {

    private static final ListGroup CONFIG_MAPS = new ListGroup("v1", "ConfigMap", "team-a");
    private static final String CONFIG_MAPS_PATH = "/api/v1/namespaces/team-a/configmaps?limit=500";

    @TempDir
    Path tmp;

    private Sandbox sandbox;
    private FaultProxy proxy;
    private Clusters clusters;
    private Clusters.Cluster cluster;

    @BeforeEach
    void start() throws Exception {
        sandbox = Sandbox.start(0).createNamespaces("team-a");
        proxy = FaultProxy.in(sandbox.url());
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), proxy.kubeconfig(sandbox.kubeconfig()));
        clusters = new Clusters();
        cluster = clusters.connect(new ClusterSpec("dev", kubeconfig, null, false));
    }

    @AfterEach
    void stop() {
        clusters.close();
        proxy.close();
        sandbox.close();
    }

    @Test
    void readsItemsWithoutApiVersionAndKindAsAKubeApiServerListsThemAndKeepsEveryFieldAsSent() {
        // given a LIST answered as kube-apiserver answers it: the list names the kind, its items do not
        proxy.rule(request -> request.path().equals(CONFIG_MAPS_PATH) ? new Status(200, null, """
                {"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"4711"},"items":[
                 {"metadata":{"name":"settings","namespace":"team-a","uid":"6f1c","resourceVersion":"4700","generation":3,
                   "managedFields":[{"manager":"kubectl-edit","operation":"Update","apiVersion":"v1",
                     "fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:k":{}}}}]},
                  "data":{"k":"v","ratio":"0.5"}},
                 {"metadata":{"name":"other","namespace":"team-a"},"data":{"k":"w"}}]}
                """) : new Pass());

        // when
        Map<ResourceKey, JsonNode> live = new LiveReader().read(cluster, Set.of(CONFIG_MAPS));

        // then both are there under their keys, typed as fabric8 types them, with every field the server sent
        assertThat(live.keySet()).extracting(ResourceKey::subject).containsExactlyInAnyOrder("ConfigMap/team-a/settings",
                "ConfigMap/team-a/other");
        JsonNode settings = live.get(ResourceKey.of("v1", "ConfigMap", "team-a", "settings"));
        assertThat(settings.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(settings.path("kind").asString()).isEqualTo("ConfigMap");
        assertThat(settings.path("metadata").path("generation").longValue()).isEqualTo(3);
        assertThat(settings.path("metadata").path("managedFields").get(0).path("fieldsV1").toString()).isEqualTo("{\"f:data\":{\"f:k\":{}}}");
        assertThat(settings.path("data").path("ratio").asString()).isEqualTo("0.5");
        assertThat(proxy.received()).hasSize(1);
    }

    @Test
    void readsAKindTheServerDoesNotServeAsEmpty() {
        proxy.rule(request -> request.path().equals(CONFIG_MAPS_PATH) ? new Status(404, null,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}") : new Pass());

        assertThat(new LiveReader().read(cluster, Set.of(CONFIG_MAPS))).isEmpty();
        assertThat(proxy.received()).hasSize(1);
    }

    @Test
    void aRefusedListSaysWhatTheServerSaidAndIsNotTriedAgain() {
        proxy.rule(request -> new Status(403, null, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                + "\"configmaps is forbidden: User \\\"ci\\\" cannot list resource \\\"configmaps\\\" in the namespace \\\"team-a\\\"\","
                + "\"reason\":\"Forbidden\",\"code\":403}"));

        assertThatThrownBy(() -> new LiveReader().read(cluster, Set.of(CONFIG_MAPS)))
                .hasMessage("cannot list ConfigMap (v1) in namespace team-a: cluster dev answered HTTP 403: configmaps is forbidden: "
                        + "User \"ci\" cannot list resource \"configmaps\" in the namespace \"team-a\"");
        assertThat(proxy.received()).hasSize(1);
    }

    @Test
    void aListAnsweredTooManyRequestsIsSentAgainNoSoonerThanTheClusterAskedUnderTheClustersPolicy() {
        // kube-apiserver's max-in-flight filter: 429, Retry-After, a plain-text body
        sandbox.client().configMaps().inNamespace("team-a").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("settings").endMetadata().build()).create();
        AtomicInteger lists = new AtomicInteger();
        proxy.rule(request -> request.path().equals(CONFIG_MAPS_PATH) && lists.incrementAndGet() == 1
                ? new Status(429, "1", "Too many requests, please try again later.\n") : new Pass());

        Map<ResourceKey, JsonNode> live = new LiveReader().read(cluster, Set.of(CONFIG_MAPS));

        assertThat(live.keySet()).extracting(ResourceKey::subject).containsExactly("ConfigMap/team-a/settings");
        assertThat(proxy.received()).hasSize(2);
        assertThat(proxy.received().get(1).nanos() - proxy.received().get(0).nanos()).isGreaterThanOrEqualTo(1_000_000_000L);
    }

    @Test
    void bindingsSharingAClusterWideListEachGetObjectsOfTheirOwn() {
        ListGroup namespaces = new ListGroup("v1", "Namespace", "");
        JsonNode first = new LiveReader().read(cluster, Set.of(namespaces)).get(ResourceKey.of("v1", "Namespace", "", "team-a"));

        // a binding that changes what it read (say, while normalizing it) ...
        ((ObjectNode) first.path("metadata")).put("name", "changed");
        JsonNode second = new LiveReader().read(cluster, Set.of(namespaces)).get(ResourceKey.of("v1", "Namespace", "", "team-a"));

        // ... changes nothing another binding reads, and the list was sent once for both
        assertThat(second.path("metadata").path("name").asString()).isEqualTo("team-a");
        assertThat(proxy.received()).hasSize(1);
    }
}
