package io.driftwarden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.kube.Schemas;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The defaults the sandbox writes, one table per kind, each naming the Kubernetes source it was read from (rows are
 * {@code JSON pointer = value}). What it cannot prove: that a real API server of the version in use gives the same
 * (feature gates and newer defaults change them); these are the functions as read, not an API server's answer.
 */
class DefaultsTest {

    private static final String POD_TEMPLATE = """
            {"metadata": {"labels": {"app": "web"}},
             "spec": {"containers": [{"name": "web", "image": "nginx:1.25", "ports": [{"containerPort": 80}],
                                      "readinessProbe": {"httpGet": {"port": 80}}}],
                      "volumes": [{"name": "scratch"}, {"name": "conf", "configMap": {"name": "conf"}}]}}""";

    @Test
    void deploymentAsSetDefaultsDeploymentAndThePodSpecFunctionsHaveIt() {
        // k8s.io/kubernetes pkg/apis/apps/v1/defaults.go SetDefaults_Deployment
        ObjectNode deployment = defaulted("apps/v1", "Deployment", "{\"spec\": {\"template\": " + POD_TEMPLATE + "}}");
        assertTable(deployment, """
                /spec/replicas = 1
                /spec/strategy/type = "RollingUpdate"
                /spec/strategy/rollingUpdate/maxUnavailable = "25%"
                /spec/strategy/rollingUpdate/maxSurge = "25%"
                /spec/revisionHistoryLimit = 10
                /spec/progressDeadlineSeconds = 600
                """);
        // k8s.io/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_PodSpec, _Container, _Probe, _HTTPGetAction, _Volume,
        // _ConfigMapVolumeSource; the +default="TCP" marker of ContainerPort.protocol (k8s.io/api core/v1 types.go)
        assertTable(deployment, """
                /spec/template/spec/dnsPolicy = "ClusterFirst"
                /spec/template/spec/restartPolicy = "Always"
                /spec/template/spec/securityContext = {}
                /spec/template/spec/terminationGracePeriodSeconds = 30
                /spec/template/spec/schedulerName = "default-scheduler"
                /spec/template/spec/containers/0/imagePullPolicy = "IfNotPresent"
                /spec/template/spec/containers/0/terminationMessagePath = "/dev/termination-log"
                /spec/template/spec/containers/0/terminationMessagePolicy = "File"
                /spec/template/spec/containers/0/ports/0/protocol = "TCP"
                /spec/template/spec/containers/0/readinessProbe/timeoutSeconds = 1
                /spec/template/spec/containers/0/readinessProbe/periodSeconds = 10
                /spec/template/spec/containers/0/readinessProbe/successThreshold = 1
                /spec/template/spec/containers/0/readinessProbe/failureThreshold = 3
                /spec/template/spec/containers/0/readinessProbe/httpGet/path = "/"
                /spec/template/spec/containers/0/readinessProbe/httpGet/scheme = "HTTP"
                /spec/template/spec/volumes/0/emptyDir = {}
                /spec/template/spec/volumes/1/configMap/defaultMode = 420
                """);
        assertThat(deployment.at("/spec/template/spec/enableServiceLinks").isMissingNode()).as("SetDefaults_Pod is for Pods only").isTrue();
    }

    @Test
    void statefulSetAsSetDefaultsStatefulSetHasIt() {
        // k8s.io/kubernetes pkg/apis/apps/v1/defaults.go SetDefaults_StatefulSet (StatefulSetAutoDeletePVC on, GA in 1.32);
        // pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolumeClaimSpec for its claim templates
        assertTable(defaulted("apps/v1", "StatefulSet", "{\"spec\": {\"template\": " + POD_TEMPLATE + ", \"volumeClaimTemplates\": "
                + "[{\"metadata\": {\"name\": \"data\"}, \"spec\": {\"accessModes\": [\"ReadWriteOnce\"]}}]}}"), """
                /spec/podManagementPolicy = "OrderedReady"
                /spec/updateStrategy/type = "RollingUpdate"
                /spec/updateStrategy/rollingUpdate/partition = 0
                /spec/persistentVolumeClaimRetentionPolicy/whenDeleted = "Retain"
                /spec/persistentVolumeClaimRetentionPolicy/whenScaled = "Retain"
                /spec/replicas = 1
                /spec/revisionHistoryLimit = 10
                /spec/volumeClaimTemplates/0/spec/volumeMode = "Filesystem"
                /spec/template/spec/dnsPolicy = "ClusterFirst"
                """);
    }

    @Test
    void cronJobAsSetDefaultsCronJobHasItWithThePodSpecOfItsJobTemplateDefaulted() {
        // k8s.io/kubernetes pkg/apis/batch/v1/defaults.go SetDefaults_CronJob; a JobTemplateSpec's JobSpec has no
        // SetDefaults_ of its own (SetDefaults_Job is for Jobs), its PodSpec does
        ObjectNode cronJob = defaulted("batch/v1", "CronJob", "{\"spec\": {\"schedule\": \"*/5 * * * *\", \"jobTemplate\": {\"spec\": "
                + "{\"template\": {\"spec\": {\"restartPolicy\": \"OnFailure\", \"containers\": [{\"name\": \"tick\", \"image\": \"busybox\"}]}}}}}}");
        assertTable(cronJob, """
                /spec/concurrencyPolicy = "Allow"
                /spec/suspend = false
                /spec/successfulJobsHistoryLimit = 3
                /spec/failedJobsHistoryLimit = 1
                /spec/jobTemplate/spec/template/spec/restartPolicy = "OnFailure"
                /spec/jobTemplate/spec/template/spec/dnsPolicy = "ClusterFirst"
                /spec/jobTemplate/spec/template/spec/containers/0/imagePullPolicy = "Always"
                """);
        assertThat(cronJob.at("/spec/jobTemplate/spec/backoffLimit").isMissingNode()).isTrue();
    }

    @Test
    void jobAsSetDefaultsJobHasIt() {
        // k8s.io/kubernetes pkg/apis/batch/v1/defaults.go SetDefaults_Job
        assertTable(defaulted("batch/v1", "Job", "{\"spec\": {\"template\": {\"metadata\": {\"labels\": {\"run\": \"once\"}}, \"spec\": "
                + "{\"restartPolicy\": \"Never\", \"containers\": [{\"name\": \"once\", \"image\": \"busybox@sha256:abc\"}]}}}}"), """
                /spec/completions = 1
                /spec/parallelism = 1
                /spec/backoffLimit = 6
                /spec/completionMode = "NonIndexed"
                /spec/suspend = false
                /metadata/labels = {"run": "once"}
                /spec/template/spec/containers/0/imagePullPolicy = "IfNotPresent"
                """);
    }

    @Test
    void serviceAsSetDefaultsServiceHasIt() {
        // k8s.io/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_Service
        assertTable(defaulted("v1", "Service", "{\"spec\": {\"selector\": {\"app\": \"web\"}, \"ports\": [{\"port\": 80}]}}"), """
                /spec/type = "ClusterIP"
                /spec/sessionAffinity = "None"
                /spec/internalTrafficPolicy = "Cluster"
                /spec/ports/0/protocol = "TCP"
                /spec/ports/0/targetPort = 80
                """);
        assertTable(defaulted("v1", "Service", "{\"spec\": {\"type\": \"LoadBalancer\", \"ports\": [{\"port\": 443, \"targetPort\": \"https\"}]}}"), """
                /spec/externalTrafficPolicy = "Cluster"
                /spec/allocateLoadBalancerNodePorts = true
                /spec/ports/0/targetPort = "https"
                """);
    }

    @Test
    void podAsSetDefaultsPodHasIt() {
        // k8s.io/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_Pod
        assertTable(defaulted("v1", "Pod", "{\"spec\": {\"containers\": [{\"name\": \"web\", \"image\": \"nginx:latest\", "
                + "\"resources\": {\"limits\": {\"cpu\": \"1\"}}}]}}"), """
                /spec/enableServiceLinks = true
                /spec/containers/0/resources/requests = {"cpu": "1"}
                /spec/containers/0/imagePullPolicy = "Always"
                """);
    }

    @Test
    void aValueTheObjectSetsIsKept() {
        assertTable(defaulted("apps/v1", "Deployment", "{\"spec\": {\"replicas\": 0, \"strategy\": {\"type\": \"Recreate\"}, \"template\": "
                + "{\"spec\": {\"dnsPolicy\": \"Default\", \"containers\": [{\"name\": \"web\", \"image\": \"nginx\", \"imagePullPolicy\": \"Never\"}]}}}}"), """
                /spec/replicas = 0
                /spec/strategy = {"type": "Recreate"}
                /spec/template/spec/dnsPolicy = "Default"
                /spec/template/spec/containers/0/imagePullPolicy = "Never"
                """);
    }

    @Test
    void anImageWithoutTagIsLatestAndADigestHasNoTag() {
        assertThat(Defaults.tag("nginx")).isEqualTo("latest");
        assertThat(Defaults.tag("registry.local:5000/team/nginx")).isEqualTo("latest");
        assertThat(Defaults.tag("registry.local:5000/team/nginx:1.25")).isEqualTo("1.25");
        assertThat(Defaults.tag("nginx@sha256:abc")).isEmpty();
    }

    @Test
    void aKindWithoutSchemaIsLeftAlone() {
        ObjectNode custom = Serialization.jsonMapper().readValue("{\"apiVersion\": \"example.com/v1\", \"kind\": \"Widget\", \"spec\": {}}",
                ObjectNode.class);
        Defaults.apply(custom, Schemas.builtin().kind("example.com/v1", "Widget"));
        assertThat(custom.path("spec").size()).isZero();
    }

    private static ObjectNode defaulted(String apiVersion, String kind, String body) {
        ObjectNode object = Serialization.jsonMapper().readValue(body, ObjectNode.class);
        object.put("apiVersion", apiVersion).put("kind", kind);
        if (!object.has("metadata")) {
            object.putObject("metadata").put("name", "x");
        }
        Defaults.apply(object, Schemas.builtin().kind(apiVersion, kind));
        return object;
    }

    /** Each row {@code pointer = JSON value} holds in {@code object}. */
    private static void assertTable(JsonNode object, String table) {
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        table.lines().filter(line -> !line.isBlank()).forEach(line -> {
            int equals = line.indexOf(" = ");
            rows.put(line.substring(0, equals).strip(), Serialization.jsonMapper().readTree(line.substring(equals + 3)));
        });
        SoftAssertions soft = new SoftAssertions();
        rows.forEach((pointer, value) -> soft.assertThat(object.at(pointer)).as(pointer).isEqualTo(value));
        soft.assertAll();
    }
}
