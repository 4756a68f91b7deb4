package io.driftwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Strategic merge patch by Kubernetes' rules (k8s.io/apimachinery strategicpatch, and the patches kubectl sends),
 * on Deployments, Services and ConfigMaps typed by the bundled Go types.
 */
class StrategicMergeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final FieldType DEPLOYMENT = Schemas.builtin().kind("apps/v1", "Deployment");

    private static final String LIVE = """
            {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": "web", "labels": {"app": "web", "team": "a"}, "finalizers": ["a", "b", "c"]},
             "spec": {"replicas": 2,
               "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
               "template": {"spec": {"containers": [
                 {"name": "web", "image": "nginx:1.27", "args": ["-a", "-b"],
                  "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                  "ports": [{"containerPort": 80, "protocol": "TCP"}]},
                 {"name": "sidecar", "image": "envoy:1"}]}}}}
            """;

    @Test
    void mergesContainersByNameAndEnvByNameAsKubectlSetEnvSends() {
        JsonNode result = patch("""
                {"spec": {"template": {"spec": {"containers": [{"name": "web", "env": [{"name": "C", "value": "3"}]}]}}}}
                """);

        JsonNode containers = result.at("/spec/template/spec/containers");
        assertThat(containers).hasSize(2);
        assertThat(containers.get(0).get("env").toString())
                .isEqualTo("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"},{\"name\":\"C\",\"value\":\"3\"}]");
        assertThat(containers.get(0).get("image").asString()).isEqualTo("nginx:1.27");
        assertThat(containers.get(1).get("name").asString()).isEqualTo("sidecar");
    }

    @Test
    void deletesAListElementByKeyWithPatchDelete() {
        JsonNode result = patch("""
                {"spec": {"template": {"spec": {"containers": [{"name": "web", "env": [{"$patch": "delete", "name": "A"}]}]}}}}
                """);

        assertThat(result.at("/spec/template/spec/containers/0/env").toString()).isEqualTo("[{\"name\":\"B\",\"value\":\"2\"}]");
    }

    @Test
    void replacesAListWithoutAMergeStrategyWhole() {
        JsonNode result = patch("""
                {"spec": {"template": {"spec": {"containers": [{"name": "web", "args": ["-c"]}]}}}}
                """);

        assertThat(result.at("/spec/template/spec/containers/0/args").toString()).isEqualTo("[\"-c\"]");
    }

    @Test
    void ordersAMergedListBySetElementOrderAndKeepsElementsItDoesNotName() {
        JsonNode result = patch("""
                {"spec": {"template": {"spec": {
                  "$setElementOrder/containers": [{"name": "sidecar"}, {"name": "web"}],
                  "containers": [{"name": "web", "image": "nginx:1.28"}]}}}}
                """);

        assertThat(result.at("/spec/template/spec/containers/0/name").asString()).isEqualTo("sidecar");
        assertThat(result.at("/spec/template/spec/containers/1/image").asString()).isEqualTo("nginx:1.28");
    }

    @Test
    void removesValuesFromAPrimitiveListAndDeletesMapKeysOnNull() {
        JsonNode result = patch("""
                {"metadata": {"labels": {"team": null, "tier": "front"}, "$deleteFromPrimitiveList/finalizers": ["b"]}}
                """);

        assertThat(result.at("/metadata/labels").toString()).isEqualTo("{\"app\":\"web\",\"tier\":\"front\"}");
        assertThat(result.at("/metadata/finalizers").toString()).isEqualTo("[\"a\",\"c\"]");
    }

    @Test
    void addsToAPrimitiveListWithMergeStrategyAsASet() {
        JsonNode result = patch("""
                {"metadata": {"finalizers": ["c", "d"]}}
                """);

        assertThat(result.at("/metadata/finalizers").toString()).isEqualTo("[\"a\",\"b\",\"c\",\"d\"]");
    }

    @Test
    void retainKeysDropsTheFieldsItDoesNotList() {
        // what kubectl apply sends when a Deployment's strategy changes from RollingUpdate to Recreate
        JsonNode result = patch("""
                {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": null}}}
                """);

        assertThat(result.at("/spec/strategy").toString()).isEqualTo("{\"type\":\"Recreate\"}");
    }

    @Test
    void replaceDirectiveReplacesAMapAndAList() {
        JsonNode result = patch("""
                {"metadata": {"labels": {"$patch": "replace", "only": "this"}},
                 "spec": {"template": {"spec": {"containers": [{"$patch": "replace"}, {"name": "solo", "image": "busybox"}]}}}}
                """);

        assertThat(result.at("/metadata/labels").toString()).isEqualTo("{\"only\":\"this\"}");
        assertThat(result.at("/spec/template/spec/containers").toString()).isEqualTo("[{\"name\":\"solo\",\"image\":\"busybox\"}]");
    }

    @Test
    void mergesServicePortsByPortAndConfigMapDataByKey() {
        JsonNode service = JSON.readTree("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                 "spec": {"ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}}
                """);
        JsonNode patched = StrategicMerge.apply(service, JSON.readTree("""
                {"spec": {"ports": [{"port": 80, "targetPort": 9090}, {"port": 443, "targetPort": 8443}]}}
                """), Schemas.builtin().kind("v1", "Service"));

        assertThat(patched.at("/spec/ports").toString()).isEqualTo(
                "[{\"port\":80,\"targetPort\":9090,\"protocol\":\"TCP\"},{\"port\":443,\"targetPort\":8443}]");
    }

    @Test
    void refusesAnElementWithoutItsMergeKey() {
        assertThatThrownBy(() -> patch("""
                {"spec": {"template": {"spec": {"containers": [{"image": "nginx"}]}}}}
                """)).isInstanceOf(StrategicMerge.InvalidPatch.class).hasMessageContaining("does not contain declared merge key: name");
    }

    @Test
    void leavesTheOriginalUnchanged() {
        JsonNode live = JSON.readTree(LIVE);
        StrategicMerge.apply(live, JSON.readTree("{\"spec\": {\"replicas\": 9}}"), DEPLOYMENT);

        assertThat(live).isEqualTo(JSON.readTree(LIVE));
    }

    private static JsonNode patch(String patch) {
        return StrategicMerge.apply(JSON.readTree(LIVE), JSON.readTree(patch), DEPLOYMENT);
    }
}
