package io.driftwarden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The verbs the sandbox adds to fabric8's CRUD mock and the field ownership it records. What it cannot prove: how a
 * real API server defaults, admits and versions objects; its managedFields follow the rules of server-side apply
 * as documented, checked here against themselves, not against a real server.
 */
class SandboxIT {

    @Test
    void serverSideApplyCreatesThenMergesAndDropsWhatTheManagerStoppedApplying() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var configMaps = client.configMaps().inNamespace("shop");

            // when a manager applies an object that does not exist
            configMaps.resource(configMap(Map.of("a", "1", "b", "2"), Map.of("team", "x", "tier", "web")))
                    .fieldManager("driftwarden").forceConflicts().serverSideApply();
            ConfigMap created = configMaps.withName("settings").get();

            // and someone else adds a key by hand
            configMaps.withName("settings").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"manual\":\"yes\"}}");

            // and the manager applies again without b and without the tier label
            configMaps.resource(configMap(Map.of("a", "10"), Map.of("team", "x")))
                    .fieldManager("driftwarden").forceConflicts().serverSideApply();
            ConfigMap merged = configMaps.withName("settings").get();

            // then the object was created, then merged: what the manager dropped is gone, the hand edit stays
            assertThat(created.getData()).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"));
            assertThat(merged.getData()).containsOnly(Map.entry("a", "10"), Map.entry("manual", "yes"));
            assertThat(merged.getMetadata().getLabels()).containsOnly(Map.entry("team", "x"));
            assertThat(merged.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        }
    }

    @Test
    void aMergePatchNullDeletesTheKey() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var configMaps = client.configMaps().inNamespace("shop");
            configMaps.resource(configMap(Map.of("a", "1", "b", "2"), Map.of())).create();

            configMaps.withName("settings").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"b\":null}}");

            assertThat(configMaps.withName("settings").get().getData()).containsOnly(Map.entry("a", "1"));
        }
    }

    @Test
    void foldsSecretStringDataIntoDataOnApplyAsTheApiServerDoes() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var secret = new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                    .addToStringData("password", "pw").build();

            client.secrets().inNamespace("shop").resource(secret).fieldManager("driftwarden").forceConflicts().serverSideApply();

            var stored = client.secrets().inNamespace("shop").withName("creds").get();
            assertThat(stored.getData()).containsOnly(Map.entry("password", "cHc="));
            assertThat(stored.getStringData()).isNullOrEmpty();
        }
    }

    @Test
    void recordsManagedFieldsForApplyMergePatchJsonPatchAndPut() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var configMaps = client.configMaps().inNamespace("shop");
            configMaps.resource(configMap(Map.of("a", "1"), Map.of("team", "x"))).fieldManager("driftwarden").forceConflicts().serverSideApply();

            configMaps.withName("settings").patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
                    .withFieldManager("kubectl-edit").build(), "{\"data\":{\"b\":\"2\"}}");
            configMaps.withName("settings").patch(new PatchContext.Builder().withPatchType(PatchType.JSON)
                    .withFieldManager("kubectl-patch").build(), "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]");
            ConfigMap current = configMaps.withName("settings").get();
            current.getData().put("d", "4");
            configMaps.resource(current).update();

            Map<String, String> owners = owners(configMaps.withName("settings").get());
            assertThat(owners).containsEntry("driftwarden/Apply", "{\"f:metadata\":{\"f:labels\":{\"f:team\":{}}},\"f:data\":{\"f:a\":{}}}")
                    .containsEntry("kubectl-edit/Update", "{\"f:data\":{\"f:b\":{}}}")
                    .containsEntry("kubectl-patch/Update", "{\"f:data\":{\"f:c\":{}}}")
                    .containsEntry("fabric8-kubernetes-client/Update", "{\"f:data\":{\"f:d\":{}}}"); // a PUT with no fieldManager: the User-Agent's name
        }
    }

    @Test
    void movesOwnershipOnUpdateOnlyForTheValuesItChanged() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var configMaps = client.configMaps().inNamespace("shop");
            configMaps.resource(configMap(Map.of("a", "1", "b", "2"), Map.of())).fieldManager("driftwarden").forceConflicts().serverSideApply();

            // a controller PUTs the whole object back, changing only b
            ConfigMap current = configMaps.withName("settings").get();
            current.getData().put("b", "20");
            configMaps.resource(current).update();

            Map<String, String> owners = owners(configMaps.withName("settings").get());
            assertThat(owners).containsEntry("fabric8-kubernetes-client/Update", "{\"f:data\":{\"f:b\":{}}}")
                    .containsEntry("driftwarden/Apply", "{\"f:data\":{\"f:a\":{}}}");
        }
    }

    @Test
    void keepsSeededManagedFieldsAndHonoursThemOnTheNextApply() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            // given an object seeded as a real cluster had it: driftwarden applied a and old, kubectl-edit added hand
            ConfigMap seeded = configMap(Map.of("a", "1", "old", "x", "hand", "y"), Map.of());
            seeded.getMetadata().setManagedFields(List.of(
                    entry("driftwarden", "Apply", Map.of("f:data", Map.of("f:a", Map.of(), "f:old", Map.of()))),
                    entry("kubectl-edit", "Update", Map.of("f:data", Map.of("f:hand", Map.of())))));
            var configMaps = client.configMaps().inNamespace("shop");
            configMaps.resource(seeded).create();
            assertThat(owners(configMaps.withName("settings").get())).containsKeys("driftwarden/Apply", "kubectl-edit/Update");

            // when driftwarden applies without old
            configMaps.resource(configMap(Map.of("a", "1"), Map.of())).fieldManager("driftwarden").forceConflicts().serverSideApply();

            // then old is removed (driftwarden owned it alone), hand stays (another manager owns it)
            assertThat(configMaps.withName("settings").get().getData()).containsOnly(Map.entry("a", "1"), Map.entry("hand", "y"));
        }
    }

    @Test
    void mergesListsByTheirSchemaOnApply() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var deployments = client.apps().deployments().inNamespace("shop");
            deployments.resource(deployment("web", "nginx:1", "A")).fieldManager("driftwarden").forceConflicts().serverSideApply();
            deployments.withName("web").patch(new PatchContext.Builder().withPatchType(PatchType.JSON)
                    .withFieldManager("kubectl-set").build(),
                    "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/env/-\",\"value\":{\"name\":\"HAND\",\"value\":\"1\"}}]");

            // when driftwarden applies a new image: containers and env merge by name, not replace
            deployments.resource(deployment("web", "nginx:2", "A")).fieldManager("driftwarden").forceConflicts().serverSideApply();

            var container = deployments.withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getImage()).isEqualTo("nginx:2");
            assertThat(container.getEnv()).extracting(e -> e.getName()).containsExactly("A", "HAND");
        }
    }

    @Test
    void aDryRunStoresNothing() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var configMaps = client.configMaps().inNamespace("shop");
            configMaps.resource(configMap(Map.of("a", "1"), Map.of())).fieldManager("driftwarden").forceConflicts().serverSideApply();
            String version = configMaps.withName("settings").get().getMetadata().getResourceVersion();

            ConfigMap predicted = configMaps.resource(configMap(Map.of("a", "2"), Map.of())).dryRun()
                    .fieldManager("driftwarden").forceConflicts().serverSideApply();
            configMaps.resource(configMap(Map.of("x", "1"), Map.of()).edit().editMetadata().withName("other").endMetadata().build())
                    .dryRun().create();

            assertThat(predicted.getData()).containsEntry("a", "2");
            assertThat(configMaps.withName("settings").get().getData()).containsEntry("a", "1");
            assertThat(configMaps.withName("settings").get().getMetadata().getResourceVersion()).isEqualTo(version);
            assertThat(configMaps.withName("other").get()).isNull();
        }
    }

    @Test
    void aJsonPatchWhoseTestFailsAnswers422AndChangesNothing() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var configMaps = client.configMaps().inNamespace("shop");
            configMaps.resource(configMap(Map.of("a", "1"), Map.of())).create();

            var failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                    io.fabric8.kubernetes.client.KubernetesClientException.class,
                    () -> configMaps.withName("settings").patch(PatchContext.of(PatchType.JSON),
                            "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"2\"},{\"op\":\"remove\",\"path\":\"/data/a\"}]"));

            assertThat(failure.getCode()).isEqualTo(422);
            assertThat(configMaps.withName("settings").get().getData()).containsOnly(Map.entry("a", "1"));
        }
    }

    @Test
    void anApplyWithoutForceConflictsWithAnotherManagersValue() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var configMaps = client.configMaps().inNamespace("shop");
            configMaps.resource(configMap(Map.of("a", "1"), Map.of())).fieldManager("someone").serverSideApply();

            var failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                    io.fabric8.kubernetes.client.KubernetesClientException.class,
                    () -> configMaps.resource(configMap(Map.of("a", "2"), Map.of())).fieldManager("driftwarden").serverSideApply());

            assertThat(failure.getCode()).isEqualTo(409);
            assertThat(configMaps.withName("settings").get().getData()).containsOnly(Map.entry("a", "1"));
        }
    }

    @Test
    void theScaleSubresourceReadsAndWritesReplicasByPutAndPatch() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var web = client.apps().deployments().inNamespace("shop").resource(deployment("web", "nginx", "A"));
            web.create();

            // fabric8's scale() reads the Scale and writes it back whole (PUT), as an HPA controller does
            web.scale(4);
            assertThat(web.get().getSpec().getReplicas()).isEqualTo(4);
            client.apps().deployments().inNamespace("shop").withName("web").subresource("scale")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":6}}");

            Deployment stored = web.get();
            assertThat(stored.getSpec().getReplicas()).isEqualTo(6);
            assertThat(stored.getMetadata().getManagedFields()).filteredOn(e -> "scale".equals(e.getSubresource()))
                    .singleElement().satisfies(e -> assertThat(Serialization.asJson(e.getFieldsV1())).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}"));
        }
    }

    @Test
    void aBodyNamingAnotherNamespaceThanThePathIs400ForApplyCreateAndReplace() throws Exception {
        // What the sandbox cannot prove: that a real server refuses in this order (a real one also runs admission and
        // validation, whose errors can come first); the message is the one of k8s.io/apiserver's
        // rest.EnsureObjectNamespaceMatchesRequestNamespace, which create, update and patch (apply included) all call.
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop", "other")) {
            String path = "/api/v1/namespaces/shop/configmaps";
            String elsewhere = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"settings\", \"namespace\": \"other\"}}";
            String here = elsewhere.replace("\"other\"", "\"shop\"");

            List<HttpResponse<String>> refused = new java.util.ArrayList<>();
            refused.add(send(sandbox, "PATCH", path + "/settings?fieldManager=t", "application/apply-patch+yaml", elsewhere));
            refused.add(send(sandbox, "POST", path, "application/json", elsewhere));
            assertThat(send(sandbox, "POST", path, "application/json", here).statusCode()).isEqualTo(201);
            refused.add(send(sandbox, "PUT", path + "/settings", "application/json", elsewhere));
            refused.add(send(sandbox, "PATCH", path + "/settings?fieldManager=t", "application/apply-patch+yaml", elsewhere));

            assertThat(refused).allSatisfy(response -> {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
                JsonNode status = Serialization.jsonMapper().readTree(response.body());
                assertThat(status.path("kind").asString()).isEqualTo("Status");
                assertThat(status.path("reason").asString()).isEqualTo("BadRequest");
                assertThat(status.path("message").asString())
                        .isEqualTo("the namespace of the provided object does not match the namespace sent on the request");
            });
            assertThat(send(sandbox, "GET", "/api/v1/namespaces/other/configmaps/settings", null, null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aNamespaceInTheBodyOfAClusterScopedObjectIsDroppedAsARealServerDoes() throws Exception {
        // A real server does not refuse it: EnsureObjectNamespaceMatchesRequestNamespace clears the namespace of a
        // cluster-scoped object ("cluster-scoped, clear namespace"), on create, update and apply alike.
        try (Sandbox sandbox = Sandbox.start(0)) {
            String storageClasses = "/apis/storage.k8s.io/v1/storageclasses";
            String fast = "{\"apiVersion\": \"storage.k8s.io/v1\", \"kind\": \"StorageClass\", \"metadata\": {\"name\": \"%s\", "
                    + "\"namespace\": \"shop\"}, \"provisioner\": \"example.com/disk\"}";
            String crd = """
                    {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "gadgets.example.com"},
                     "spec": {"group": "example.com", "scope": "Cluster", "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget"},
                      "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {"type": "object",
                       "x-kubernetes-preserve-unknown-fields": true}}}]}}
                    """;
            String gadget = "{\"apiVersion\": \"example.com/v1\", \"kind\": \"Gadget\", \"metadata\": {\"name\": \"g\", \"namespace\": \"shop\"}}";

            HttpResponse<String> applied = send(sandbox, "PATCH", storageClasses + "/fast?fieldManager=t", "application/apply-patch+yaml",
                    fast.formatted("fast"));
            HttpResponse<String> reapplied = send(sandbox, "PATCH", storageClasses + "/fast?fieldManager=t", "application/apply-patch+yaml",
                    fast.formatted("fast"));
            HttpResponse<String> created = send(sandbox, "POST", storageClasses, "application/json", fast.formatted("slow"));
            HttpResponse<String> replaced = send(sandbox, "PUT", storageClasses + "/slow", "application/json", fast.formatted("slow"));
            assertThat(send(sandbox, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "application/json", crd).statusCode())
                    .isEqualTo(201);
            HttpResponse<String> custom = send(sandbox, "PATCH", "/apis/example.com/v1/gadgets/g?fieldManager=t", "application/apply-patch+yaml",
                    gadget);

            assertThat(List.of(applied, reapplied, created, replaced, custom)).extracting(HttpResponse::statusCode).containsExactly(201, 200, 201, 200, 201);
            for (String object : List.of(storageClasses + "/fast", storageClasses + "/slow", "/apis/example.com/v1/gadgets/g")) {
                HttpResponse<String> stored = send(sandbox, "GET", object, null, null);
                assertThat(stored.statusCode()).as(object).isEqualTo(200);
                assertThat(Serialization.jsonMapper().readTree(stored.body()).path("metadata").path("namespace").asString("")).as(object).isEmpty();
            }
        }
    }

    /** One request with a short timeout: a sandbox that never answers fails the test instead of hanging it. */
    private static HttpResponse<String> send(Sandbox sandbox, String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.url() + path)).timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> owners(ConfigMap object) {
        return owners(object.getMetadata().getManagedFields());
    }

    private static Map<String, String> owners(List<ManagedFieldsEntry> entries) {
        Map<String, String> owners = new java.util.TreeMap<>();
        for (ManagedFieldsEntry entry : entries) {
            owners.put(entry.getManager() + "/" + entry.getOperation(), Serialization.asJson(entry.getFieldsV1()));
        }
        return owners;
    }

    private static ManagedFieldsEntry entry(String manager, String operation, Map<String, Object> fields) {
        ManagedFieldsEntry entry = new ManagedFieldsEntry();
        entry.setManager(manager);
        entry.setOperation(operation);
        entry.setApiVersion("v1");
        entry.setFieldsType("FieldsV1");
        FieldsV1 fieldsV1 = new FieldsV1();
        fields.forEach(fieldsV1::setAdditionalProperty);
        entry.setFieldsV1(fieldsV1);
        return entry;
    }

    private static Deployment deployment(String name, String image, String env) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("app").withImage(image)
                .addNewEnv().withName(env).withValue("v").endEnv().endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static ConfigMap configMap(Map<String, String> data, Map<String, String> labels) {
        return new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").withLabels(labels)
                .endMetadata().withData(data).build();
    }
}
