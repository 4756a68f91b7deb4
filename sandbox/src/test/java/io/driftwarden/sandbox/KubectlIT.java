package io.driftwarden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real kubectl against the sandbox: after each command, the stored object is what an API server stores for that
 * request (lists merged by key, not replaced) and {@code managedFields} names kubectl's manager. What this cannot
 * prove: kubectl's behaviour against a real API server's defaulting, admission and server-side printing (the
 * sandbox answers no Table, so {@code kubectl get} shows NAME and AGE only).
 */
class KubectlIT {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: shop
              labels: {app: api}
            spec:
              replicas: 2
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers:
                  - name: api
                    image: api:1
                    env:
                    - {name: A, value: "1"}
                    - {name: B, value: "2"}
                  - name: proxy
                    image: envoy:1
            """;

    @TempDir
    Path tmp;

    private Sandbox sandbox;
    private KubernetesClient client;
    private Kubectl kubectl;

    @BeforeEach
    void start() throws Exception {
        sandbox = Sandbox.start(0);
        client = sandbox.client();
        kubectl = new Kubectl(sandbox.writeKubeconfig(tmp.resolve("kubeconfig")), tmp.resolve("cache"));
    }

    @AfterEach
    void stop() {
        client.close();
        sandbox.close();
    }

    @Test
    void createNamespaceAnswersAtOnceAndAnObjectNeedsItsNamespace() throws Exception {
        Kubectl.Result created = kubectl.run("create", "namespace", "shop");
        assertThat(created.exit()).as(created.all()).isZero();
        assertThat(created.out()).contains("namespace/shop created");
        assertThat(stored("/api/v1/namespaces/shop").at("/status/phase").asString()).isEqualTo("Active");
        assertThat(managers("/api/v1/namespaces/shop")).containsExactly("kubectl-create/Update");

        Kubectl.Result orphan = kubectl.run("-n", "nowhere", "create", "configmap", "x", "--from-literal=k=v");
        assertThat(orphan.exit()).isNotZero();
        assertThat(orphan.err()).contains("namespaces \"nowhere\" not found");
    }

    @Test
    void getFindsKindsByNameShortNameAndGroupAndPrintsJsonYamlAndJsonpath() throws Exception {
        run("create", "namespace", "shop");
        // kubectl's typed client sends this one as protobuf
        run("-n", "shop", "create", "deployment", "web", "--image=nginx:1.27", "--replicas=2");
        run("-n", "shop", "create", "configmap", "settings", "--from-literal=color=blue");

        assertThat(run("-n", "shop", "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}")).isEqualTo("2");
        JsonNode json = Serialization.jsonMapper().readTree(run("-n", "shop", "get", "deployments.apps/web", "-o", "json"));
        assertThat(json.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("nginx:1.27");
        assertThat(run("-n", "shop", "get", "cm", "settings", "-o", "yaml")).contains("kind: ConfigMap", "color: blue");
        assertThat(run("get", "ns")).contains("shop");
        assertThat(run("api-resources")).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
        assertThat(managers("/apis/apps/v1/namespaces/shop/deployments/web")).containsExactly("kubectl-create/Update");
    }

    @Test
    void clientSideApplyMergesByKeyAndKeepsTheLastAppliedConfigurationAsKubectlWroteIt() throws Exception {
        run("create", "namespace", "shop");
        Path manifest = Files.writeString(tmp.resolve("api.yaml"), DEPLOYMENT);
        run("apply", "-f", manifest.toString());
        run("-n", "shop", "set", "env", "deploy/api", "-c", "api", "HAND=1");

        // Git drops B and adds C: kubectl's three-way patch deletes B by key and leaves HAND (not in its last apply)
        Files.writeString(manifest, DEPLOYMENT.replace("- {name: B, value: \"2\"}", "- {name: C, value: \"3\"}"));
        assertThat(run("apply", "-f", manifest.toString())).contains("deployment.apps/api configured");

        String path = "/apis/apps/v1/namespaces/shop/deployments/api";
        JsonNode api = stored(path);
        assertThat(names(api.at("/spec/template/spec/containers/0/env"))).containsExactlyInAnyOrder("A", "C", "HAND");
        assertThat(api.at("/spec/template/spec/containers/1/image").asString()).isEqualTo("envoy:1");
        JsonNode lastApplied = Serialization.jsonMapper().readTree(
                api.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asString());
        assertThat(names(lastApplied.at("/spec/template/spec/containers/0/env"))).containsExactly("A", "C");
        assertThat(managers(path)).contains("kubectl-client-side-apply/Update", "kubectl-set/Update");
        assertThat(owned(path, "kubectl-set")).contains("HAND").doesNotContain("proxy");
    }

    @Test
    void serverSideApplyIsRecordedAsKubectlApply() throws Exception {
        run("create", "namespace", "shop");
        Path manifest = Files.writeString(tmp.resolve("api.yaml"), DEPLOYMENT);

        assertThat(run("apply", "--server-side", "-f", manifest.toString())).contains("serverside-applied");

        String path = "/apis/apps/v1/namespaces/shop/deployments/api";
        assertThat(managers(path)).containsExactly("kubectl/Apply");
        assertThat(names(stored(path).at("/spec/template/spec/containers/0/env"))).containsExactly("A", "B");
    }

    @Test
    void editSendsAStrategicMergePatchRecordedAsKubectlEdit() throws Exception {
        run("create", "namespace", "shop");
        run("apply", "-f", Files.writeString(tmp.resolve("api.yaml"), DEPLOYMENT).toString());
        Path editor = Files.writeString(tmp.resolve("editor.sh"), "#!/bin/sh\nsed -i 's/image: api:1/image: api:2/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));

        Kubectl.Result edited = kubectl.run(Map.of("EDITOR", editor.toString()), "-n", "shop", "edit", "deployment/api");
        assertThat(edited.exit()).as(edited.all()).isZero();

        String path = "/apis/apps/v1/namespaces/shop/deployments/api";
        JsonNode containers = stored(path).at("/spec/template/spec/containers");
        // with the defaults the server gave them (SetDefaults_Container, Defaults)
        assertThat(containers).isEqualTo(json("""
                [{"name": "api", "image": "api:2", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}], "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"},
                 {"name": "proxy", "image": "envoy:1", "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}]"""));
        assertThat(owned(path, "kubectl-edit")).contains("f:containers", "api", "f:image");
    }

    @Test
    void scaleWritesReplicasThroughTheScaleSubresource() throws Exception {
        run("create", "namespace", "shop");
        run("apply", "-f", Files.writeString(tmp.resolve("api.yaml"), DEPLOYMENT).toString());

        assertThat(run("-n", "shop", "scale", "deployment/api", "--replicas=5")).contains("deployment.apps/api scaled");

        String path = "/apis/apps/v1/namespaces/shop/deployments/api";
        assertThat(stored(path).at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(run("-n", "shop", "get", "deployment/api", "--subresource=scale", "-o", "jsonpath={.kind} {.spec.replicas} {.status.selector}"))
                .isEqualTo("Scale 5 app=api");
        assertThat(managers(path)).contains("kubectl/Update/scale");
        assertThat(owned(path, "kubectl")).contains("f:replicas");
    }

    @Test
    void setImageSetEnvLabelAndAnnotateMergeAndNameTheirManagers() throws Exception {
        run("create", "namespace", "shop");
        run("apply", "-f", Files.writeString(tmp.resolve("api.yaml"), DEPLOYMENT).toString());

        run("-n", "shop", "set", "image", "deployment/api", "api=api:3");
        run("-n", "shop", "set", "env", "deployment/api", "-c", "api", "B-", "D=4");
        run("-n", "shop", "label", "deployment/api", "tier=backend");
        run("-n", "shop", "annotate", "deployment/api", "example.com/owner=ops", "--field-manager=my-controller");

        String path = "/apis/apps/v1/namespaces/shop/deployments/api";
        JsonNode api = stored(path);
        assertThat(api.at("/spec/template/spec/containers")).isEqualTo(json("""
                [{"name": "api", "image": "api:3", "env": [{"name": "A", "value": "1"}, {"name": "D", "value": "4"}], "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"},
                 {"name": "proxy", "image": "envoy:1", "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}]"""));
        assertThat(api.at("/metadata/labels")).isEqualTo(json("{\"app\": \"api\", \"tier\": \"backend\"}"));
        assertThat(managers(path)).contains("kubectl-set/Update", "kubectl-label/Update", "my-controller/Update");
        assertThat(owned(path, "my-controller")).contains("f:example.com/owner").doesNotContain("f:tier");
        assertThat(owned(path, "kubectl-label")).contains("f:tier");
    }

    @Test
    void deleteRemovesAnObjectAndDeletingANamespaceRemovesEverythingInIt() throws Exception {
        run("create", "namespace", "shop");
        run("apply", "-f", Files.writeString(tmp.resolve("api.yaml"), DEPLOYMENT).toString());
        run("-n", "shop", "create", "configmap", "settings", "--from-literal=k=v");

        assertThat(run("-n", "shop", "delete", "configmap", "settings")).contains("configmap \"settings\" deleted");
        assertThat(client.configMaps().inNamespace("shop").withName("settings").get()).isNull();

        assertThat(run("delete", "namespace", "shop")).contains("namespace \"shop\" deleted");
        assertThat(client.apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
        assertThat(client.namespaces().withName("shop").get()).isNull();
    }

    @Test
    void explainDescribesABuiltInKindFromTheGoTypes() throws Exception {
        String explained = run("explain", "deployment.spec.strategy");

        assertThat(explained).contains("KIND:       Deployment", "rollingUpdate", "<RollingUpdateDeployment>", "type");
    }

    @Test
    void anUnknownFieldIsRefusedAsStrictValidationAsksAndDroppedWithAWarningOtherwise() throws Exception {
        run("create", "namespace", "shop");
        Path manifest = Files.writeString(tmp.resolve("api.yaml"), DEPLOYMENT.replace("  replicas: 2", "  replicas: 2\n  colour: red"));

        Kubectl.Result strict = kubectl.run("apply", "-f", manifest.toString());
        assertThat(strict.exit()).isNotZero();
        assertThat(strict.err()).contains("strict decoding error: unknown field \"spec.colour\"");

        Kubectl.Result warned = kubectl.run("apply", "--validate=warn", "-f", manifest.toString());
        assertThat(warned.exit()).as(warned.all()).isZero();
        assertThat(warned.err()).contains("unknown field \"spec.colour\"");
        assertThat(stored("/apis/apps/v1/namespaces/shop/deployments/api").path("spec").has("colour")).isFalse();
    }

    @Test
    void aCustomResourceDefinitionServesItsKindToKubectl() throws Exception {
        run("create", "namespace", "shop");
        Path crd = Files.writeString(tmp.resolve("crd.yaml"), """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wdg]}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec: {type: object, properties: {size: {type: integer}}}
                """);
        run("apply", "-f", crd.toString());
        Path widget = Files.writeString(tmp.resolve("widget.yaml"),
                "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: shop}\nspec: {size: 3}\n");

        run("apply", "-f", widget.toString());
        run("-n", "shop", "label", "wdg/w1", "colour=red");

        assertThat(run("-n", "shop", "get", "widgets.example.com", "w1", "-o", "jsonpath={.spec.size} {.metadata.labels.colour}"))
                .isEqualTo("3 red");
        assertThat(run("api-resources", "--api-group=example.com")).containsPattern("widgets\\s+wdg\\s+example.com/v1\\s+true\\s+Widget");
    }

    /** Runs kubectl, requires exit 0, returns its standard output. */
    private String run(String... args) throws Exception {
        Kubectl.Result result = kubectl.run(args);
        assertThat(result.exit()).as("kubectl " + String.join(" ", args) + "\n" + result.all()).isZero();
        return result.out();
    }

    /** The object as the sandbox stores it. */
    private JsonNode stored(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return Serialization.jsonMapper().readTree(response.body());
    }

    /** {@code manager/operation[/subresource]} of each managedFields entry. */
    private List<String> managers(String path) throws Exception {
        List<String> managers = new ArrayList<>();
        for (JsonNode entry : stored(path).at("/metadata/managedFields")) {
            String subresource = entry.path("subresource").asString("");
            managers.add(entry.path("manager").asString() + "/" + entry.path("operation").asString() + (subresource.isEmpty() ? "" : "/" + subresource));
        }
        return managers;
    }

    /** The fieldsV1 text of one manager's entries. */
    private String owned(String path, String manager) throws Exception {
        StringBuilder fields = new StringBuilder();
        for (JsonNode entry : stored(path).at("/metadata/managedFields")) {
            if (entry.path("manager").asString().equals(manager)) {
                fields.append(entry.path("fieldsV1"));
            }
        }
        return fields.toString();
    }

    private static JsonNode json(String text) {
        return Serialization.jsonMapper().readTree(text);
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(element -> names.add(element.path("name").asString()));
        return names;
    }
}
