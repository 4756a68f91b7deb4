package io.driftwarden.jobs.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.DriftManagers;
import io.driftwarden.config.IgnoreRule;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.kube.Schemas;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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

/**
 * The differ on real objects from real clusters (live-objects/SOURCE.md says what makes each pair hard) and on
 * each kind of schema rule: list types, quantities, int-or-string, zero values, ownership.
 */
class DifferTest {

    private final Differ differ = new Differ(Schemas.builtin(), "driftwarden");

    @ParameterizedTest
    @ValueSource(strings = {"deployment-config.json", "wordpress-config.json", "spinnaker-sa-config.json",
            "endpoints-config.json", "grafana-clusterrole-config.json", "smd-deploy-config.yaml", "ssd-service-config.yaml"})
    void reportsNoDriftWhenTheServerOnlyAddedWhatItOwns(String config) throws IOException {
        // given what Git held and what the cluster stored afterwards
        Drift drift = diff(load(config), load(config.replace("-config", "-live")));

        // then
        assertThat(drift.type()).as(drift.maskedDiff()).isEqualTo(DriftType.IN_SYNC);
        assertThat(drift.paths()).isEmpty();
    }

    @Test
    void findsExactlyTheTwoElementsMissingInsideANestedKeyedList() throws IOException {
        Drift drift = diff(load("ssd-deploy-nested-config.yaml"), load("ssd-deploy-nested-live.yaml"));

        assertThat(drift.paths()).containsExactlyInAnyOrder(
                "spec.template.spec.containers[name=main-container].ports[containerPort=443,protocol=TCP]",
                "spec.template.spec.containers[name=main-container].env[name=ENV_VAR2]");
        assertThat(drift.details()).allMatch(d -> d.because().equals("differs from Git"));
    }

    static Stream<Arguments> oneFieldChangedInGit() {
        return Stream.of(
                Arguments.of("deployment-config.json", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("spec")).put("replicas", 3),
                        "spec.replicas"),
                Arguments.of("deployment-config.json", (Consumer<ObjectNode>) c -> container(c).put("image", "gcr.io/heptio-images/ks-guestbook-demo:0.3"),
                        "spec.template.spec.containers[name=guestbook-ui].image"),
                Arguments.of("deployment-config.json", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("metadata").get("labels")).put("app.kubernetes.io/instance", "other"),
                        "metadata.labels[\"app.kubernetes.io/instance\"]"),
                Arguments.of("deployment-config.json", (Consumer<ObjectNode>) c -> ((ObjectNode) ((ArrayNode) container(c).get("env")).get(0)).put("value", "else"),
                        "spec.template.spec.containers[name=guestbook-ui].env[name=VAR1].value"),
                Arguments.of("wordpress-config.json", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("data")).put("wordpress-password", "bmV3LXZhbHVl"),
                        "data.wordpress-password"),
                Arguments.of("spinnaker-sa-config.json", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("metadata").get("labels")).put("release", "next"),
                        "metadata.labels.release"),
                Arguments.of("endpoints-config.json", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("subsets").get(0).get("ports").get(2)).put("port", 8984),
                        "subsets"),
                Arguments.of("grafana-clusterrole-config.json", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("metadata").get("labels")).put("chart", "grafana-1.21.3"),
                        "metadata.labels.chart"),
                Arguments.of("smd-deploy-config.yaml", (Consumer<ObjectNode>) c -> container(c).put("image", "nginx:1.27"),
                        "spec.template.spec.containers[name=nginx].image"),
                Arguments.of("ssd-service-config.yaml", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("spec").get("ports").get(0)).put("targetPort", 9999),
                        "spec.ports[port=7777,protocol=TCP].targetPort"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("oneFieldChangedInGit")
    void reportsDriftOnExactlyThePathChangedInGit(String config, Consumer<ObjectNode> change, String path) throws IOException {
        // given Git changed one field after the live object was stored
        ObjectNode git = load(config);
        change.accept(git);

        // when
        Drift drift = diff(git, load(config.replace("-config", "-live")));

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
        Drift drift = diff(config, load("wordpress-live.json"));

        // then
        assertThat(drift.paths()).contains("data.wordpress-password", "metadata.annotations.note");
        for (String shown : List.of(drift.maskedDiff(), drift.unifiedDiff(), drift.details().toString())) {
            assertThat(shown).doesNotContain("bmV3LXZhbHVl", "Skt2T0tjMk5PdQ==", "Xkt2T0tjMk5PdQ==").contains("***");
        }
        assertThat(drift.unifiedDiff()).contains("*** (changed)");
    }

    // --- list types -------------------------------------------------------------------------------------------

    @Test
    void matchesPortsByTheirCompoundKeySoTheSameNumberOnTcpAndUdpIsNoDrift() {
        // given CoreDNS's shape: port 53 on UDP and on TCP, the live list in another order, TCP defaulted
        ObjectNode git = deployment("""
                {"name":"coredns","image":"coredns:1.11","ports":[
                  {"containerPort":53,"name":"dns","protocol":"UDP"},{"containerPort":53,"name":"dns-tcp"}]}""");
        JsonNode live = deployment("""
                {"name":"coredns","image":"coredns:1.11","ports":[
                  {"containerPort":53,"name":"dns-tcp","protocol":"TCP"},{"containerPort":53,"name":"dns","protocol":"UDP"}]}""");

        assertThat(diff(git, live).type()).isEqualTo(DriftType.IN_SYNC);

        // and a missing UDP port is found by its whole key
        JsonNode tcpOnly = deployment("""
                {"name":"coredns","image":"coredns:1.11","ports":[{"containerPort":53,"name":"dns-tcp","protocol":"TCP"}]}""");
        assertThat(diff(git, tcpOnly).paths())
                .containsExactly("spec.template.spec.containers[name=coredns].ports[containerPort=53,protocol=UDP]");
    }

    @Test
    void keepsTwoTopologySpreadConstraintsOnOneTopologyKeyApart() {
        ObjectNode git = podSpec("""
                {"containers":[{"name":"c","image":"i"}],"topologySpreadConstraints":[
                  {"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule","maxSkew":1},
                  {"topologyKey":"zone","whenUnsatisfiable":"ScheduleAnyway","maxSkew":2}]}""");
        JsonNode live = podSpec("""
                {"containers":[{"name":"c","image":"i"}],"topologySpreadConstraints":[
                  {"topologyKey":"zone","whenUnsatisfiable":"ScheduleAnyway","maxSkew":2},
                  {"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule","maxSkew":1}]}""");

        assertThat(diff(git, live).type()).isEqualTo(DriftType.IN_SYNC);
    }

    @Test
    void neverComparesTheRecordClientSideKubectlApplyKeeps() {
        // given an object adopted from client-side kubectl apply: its last-applied annotation is owned by that manager
        ObjectNode git = configMap("{\"annotations\":{\"owner\":\"a\"}}", "{\"a\":\"1\"}");
        ObjectNode live = configMap("""
                {"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"data\\":{\\"a\\":\\"1\\"}}","owner":"a","team":"x"},
                 "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1",
                   "fieldsV1":{"f:data":{".":{},"f:a":{}},"f:metadata":{"f:annotations":{".":{},
                     "f:kubectl.kubernetes.io/last-applied-configuration":{},"f:owner":{},"f:team":{}}}}}]}""", "{\"a\":\"1\"}");

        // then kubectl's record is no drift; an annotation the same manager added is
        assertThat(diff(git, live).paths()).containsExactly("metadata.annotations.team");
    }

    @Test
    void comparesASetByValueSoAFinalizerAControllerAddedIsNoDrift() {
        ObjectNode git = configMap("{\"finalizers\":[\"example.com/keep\"]}", "{\"a\":\"1\"}");
        JsonNode live = configMap("{\"finalizers\":[\"kubernetes.io/pvc-protection\",\"example.com/keep\"]}", "{\"a\":\"1\"}");

        assertThat(diff(git, live).type()).isEqualTo(DriftType.IN_SYNC);
        assertThat(diff(configMap("{\"finalizers\":[\"example.com/other\"]}", "{\"a\":\"1\"}"), live).paths())
                .containsExactly("metadata.finalizers[=example.com/other]");
    }

    @Test
    void treatsAnElementAddedToAnAtomicListAsDrift() {
        // given a NetworkPolicy whose ingress ports (an atomic list) gained a port by hand
        ObjectNode git = json("""
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"np","namespace":"n"},
                 "spec":{"podSelector":{},"ingress":[{"ports":[{"port":8080}]}]}}""");
        JsonNode live = json("""
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"np","namespace":"n"},
                 "spec":{"podSelector":{},"ingress":[{"ports":[{"port":8080,"protocol":"TCP"},{"port":22,"protocol":"TCP"}]}]}}""");

        assertThat(diff(git, live).paths()).containsExactly("spec.ingress");
        // the server's defaulted protocol alone is not drift
        assertThat(diff(git, json(live.toString().replace(",{\"port\":22,\"protocol\":\"TCP\"}", ""))).type())
                .isEqualTo(DriftType.IN_SYNC);
    }

    @Test
    void comparesAnAtomicMapWhole() {
        ObjectNode git = json("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"s","namespace":"n"},"spec":{"selector":{"app":"a"}}}""");
        JsonNode live = json("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"s","namespace":"n"},"spec":{"selector":{"app":"a","tier":"x"}}}""");

        assertThat(diff(git, live).paths()).containsExactly("spec.selector");
    }

    // --- scalars and zero values --------------------------------------------------------------------------------

    @Test
    void comparesQuantitiesByValueWhereverTheSchemaSaysQuantity() {
        ObjectNode git = json("""
                {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q","namespace":"n"},
                 "spec":{"hard":{"requests.cpu":"0.5","requests.memory":"1Gi","pods":"10"}}}""");
        JsonNode live = json("""
                {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q","namespace":"n"},
                 "spec":{"hard":{"requests.cpu":"500m","requests.memory":"1073741824","pods":"1e1"}}}""");

        assertThat(diff(git, live).type()).isEqualTo(DriftType.IN_SYNC);
    }

    @Test
    void comparesAnEnvVarNamedLikeAQuantityAsText() {
        ObjectNode git = deployment("{\"name\":\"c\",\"env\":[{\"name\":\"memory\",\"value\":\"1Gi\"}]}");
        JsonNode live = deployment("{\"name\":\"c\",\"env\":[{\"name\":\"memory\",\"value\":\"1024Mi\"}]}");

        assertThat(diff(git, live).paths()).containsExactly("spec.template.spec.containers[name=c].env[name=memory].value");
    }

    @Test
    void comparesIntOrStringAsText() {
        ObjectNode git = json("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"s","namespace":"n"},
                 "spec":{"ports":[{"port":80,"targetPort":8080}]}}""");
        JsonNode live = json("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"s","namespace":"n"},
                 "spec":{"ports":[{"port":80,"targetPort":"8080","protocol":"TCP"}]}}""");

        assertThat(diff(git, live).type()).isEqualTo(DriftType.IN_SYNC);
    }

    @Test
    void equatesAZeroWithAbsenceOnlyForPlainFieldsNotPointers() {
        // hostNetwork is a plain bool: the server never returns false
        assertThat(diff(podSpec("{\"hostNetwork\":false,\"containers\":[{\"name\":\"c\"}]}"),
                podSpec("{\"containers\":[{\"name\":\"c\"}]}")).type()).isEqualTo(DriftType.IN_SYNC);
        // allowPrivilegeEscalation is a *bool: an explicit false removed live is drift
        assertThat(diff(podSpec("{\"containers\":[{\"name\":\"c\",\"securityContext\":{\"allowPrivilegeEscalation\":false}}]}"),
                podSpec("{\"containers\":[{\"name\":\"c\",\"securityContext\":{}}]}")).paths())
                .containsExactly("spec.template.spec.containers[name=c].securityContext.allowPrivilegeEscalation");
    }

    @Test
    void findsAConfigMapKeyWithAnEmptyValueDeleted() {
        assertThat(diff(configMap("{}", "{\"a\":\"1\",\"empty\":\"\"}"), configMap("{}", "{\"a\":\"1\"}")).paths())
                .containsExactly("data.empty");
    }

    @Test
    void treatsAnEmptyObjectAsSetWhereTheTypeMakesItOne() {
        // emptyDir is a pointer: {} means "an emptyDir volume", and a hostPath in its place is drift
        ObjectNode git = podSpec("{\"containers\":[{\"name\":\"c\"}],\"volumes\":[{\"name\":\"v\",\"emptyDir\":{}}]}");
        JsonNode live = podSpec("{\"containers\":[{\"name\":\"c\"}],\"volumes\":[{\"name\":\"v\",\"hostPath\":{\"path\":\"/\"}}]}");

        assertThat(diff(git, live).paths()).containsExactly("spec.template.spec.volumes[name=v].emptyDir");
    }

    // --- custom and unknown kinds --------------------------------------------------------------------------------

    @Test
    void followsTheListMarkersOfACrdSchema() {
        Schemas withCrd = Schemas.builtin().withCrds(List.of(json("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
                 "spec":{"group":"example.com","names":{"kind":"Widget"},"versions":[{"name":"v1","schema":{"openAPIV3Schema":
                   {"type":"object","properties":{"spec":{"type":"object","properties":{
                     "parts":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                              "items":{"type":"object","properties":{"name":{"type":"string"},"size":{"type":"integer"}}}},
                     "tags":{"type":"array","items":{"type":"string"}}}}}}}}]}}""")));
        Differ crdDiffer = new Differ(withCrd, "driftwarden");
        ObjectNode git = json("""
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"n"},
                 "spec":{"parts":[{"name":"a","size":1}],"tags":["x"]}}""");
        JsonNode live = json("""
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"n"},
                 "spec":{"parts":[{"name":"b","size":9},{"name":"a","size":2}],"tags":["x","y"]}}""");

        Drift drift = crdDiffer.diff(desired(git), live, Normalizer.noop(), DriftManagers.KUBECTL);

        // parts is keyed by name (b, added by someone else, is not drift); tags is atomic
        assertThat(drift.paths()).containsExactlyInAnyOrder("spec.parts[name=a].size", "spec.tags");
    }

    @Test
    void comparesListsOfAKindNoSchemaKnowsWhole() {
        ObjectNode git = json("""
                {"apiVersion":"example.com/v1","kind":"Unknown","metadata":{"name":"u","namespace":"n"},
                 "spec":{"items":[{"name":"a"}],"size":1}}""");
        JsonNode live = json("""
                {"apiVersion":"example.com/v1","kind":"Unknown","metadata":{"name":"u","namespace":"n"},
                 "spec":{"items":[{"name":"a"},{"name":"b"}],"size":1,"defaulted":true}}""");

        assertThat(diff(git, live).paths()).containsExactly("spec.items");
    }

    // --- ownership ---------------------------------------------------------------------------------------------

    static Stream<Arguments> ownersOfALiveOnlyEnvVar() {
        return Stream.of(
                Arguments.of("kubectl-edit", List.of("spec.template.spec.containers[name=c].env[name=DEBUG]"), "added by kubectl-edit"),
                Arguments.of("kubectl", List.of("spec.template.spec.containers[name=c].env[name=DEBUG]"), "added by kubectl"),
                Arguments.of("driftwarden", List.of("spec.template.spec.containers[name=c].env[name=DEBUG]"), "no longer in Git"),
                Arguments.of("istio-sidecar-injector", List.of(), null),
                Arguments.of(null, List.of(), null));
    }

    @ParameterizedTest(name = "owner {0}")
    @MethodSource("ownersOfALiveOnlyEnvVar")
    void decidesALiveOnlyFieldByItsOwner(String manager, List<String> paths, String because) {
        // given an env var present only live, owned by manager (or by nobody: a default)
        ObjectNode git = deployment("{\"name\":\"c\",\"image\":\"i\",\"env\":[{\"name\":\"A\",\"value\":\"1\"}]}");
        ObjectNode live = deployment("{\"name\":\"c\",\"image\":\"i\",\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"DEBUG\",\"value\":\"1\"}]}");
        if (manager != null) {
            ((ObjectNode) live.get("metadata")).set("managedFields", json("""
                    {"m":[{"manager":"driftwarden","operation":"Apply","fieldsV1":{"f:spec":{"f:template":{"f:spec":{"f:containers":
                        {"k:{\\"name\\":\\"c\\"}":{".":{},"f:image":{},"f:name":{},"f:env":{"k:{\\"name\\":\\"A\\"}":{".":{},"f:name":{},"f:value":{}}}}}}}}}},
                      {"manager":"%s","operation":"Update","fieldsV1":{"f:spec":{"f:template":{"f:spec":{"f:containers":
                        {"k:{\\"name\\":\\"c\\"}":{"f:env":{"k:{\\"name\\":\\"DEBUG\\"}":{".":{},"f:name":{},"f:value":{}}}}}}}}}}]}"""
                    .formatted(manager)).get("m"));
        }

        // when
        Drift drift = diff(git, live);

        // then
        assertThat(drift.paths()).containsExactlyElementsOf(paths);
        if (because != null) {
            assertThat(drift.details().get(0).because()).isEqualTo(because);
            assertThat(drift.liveOnly()).hasSize(1);
        }
    }

    @Test
    void findsAHandAddedLabelAndSidecarButNotAControllersAnnotation() {
        ObjectNode git = deployment("{\"name\":\"c\",\"image\":\"i\"}");
        ObjectNode live = deployment("{\"name\":\"c\",\"image\":\"i\"},{\"name\":\"debug\",\"image\":\"busybox\"}");
        ((ObjectNode) live.get("metadata")).putObject("labels").put("oncall", "me");
        ((ObjectNode) live.get("metadata")).putObject("annotations").put("deployment.kubernetes.io/revision", "3");
        ((ObjectNode) live.get("metadata")).set("managedFields", json("""
                {"m":[{"manager":"kubectl-label","operation":"Update","fieldsV1":{"f:metadata":{"f:labels":{"f:oncall":{}}}}},
                  {"manager":"kubectl-edit","operation":"Update","fieldsV1":{"f:spec":{"f:template":{"f:spec":{"f:containers":
                      {"k:{\\"name\\":\\"debug\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}},
                  {"manager":"kube-controller-manager","operation":"Update","fieldsV1":{"f:metadata":{"f:annotations":
                      {".":{},"f:deployment.kubernetes.io/revision":{}}}}}]}""").get("m"));

        Drift drift = diff(git, live);

        assertThat(drift.paths()).containsExactlyInAnyOrder("metadata.labels.oncall",
                "spec.template.spec.containers[name=debug]");
        assertThat(drift.maskedDiff()).contains("(added by kubectl-label at an unknown time)", "(added by kubectl-edit at an unknown time)");
        assertThat(drift.unifiedDiff()).contains("-    oncall: \"me\"").doesNotContain("+    oncall");
    }

    @Test
    void usesTheBindingsOwnDriftManagers() {
        ObjectNode git = configMap("{}", "{\"a\":\"1\"}");
        ObjectNode live = configMap("{}", "{\"a\":\"1\",\"b\":\"2\"}");
        ((ObjectNode) live.get("metadata")).set("managedFields", json("""
                {"m":[{"manager":"ops-script","operation":"Update","fieldsV1":{"f:data":{"f:b":{}}}}]}""").get("m"));

        assertThat(differ.diff(desired(git), live, Normalizer.noop(), DriftManagers.KUBECTL).type()).isEqualTo(DriftType.IN_SYNC);
        assertThat(differ.diff(desired(git), live, Normalizer.noop(), new DriftManagers(List.of("ops-*"))).paths())
                .containsExactly("data.b");
    }

    // --- atomic structs and defaults (the Go types' typeMarkers and +default markers) -------------------------------

    /**
     * The managedFields a real API server writes (structured-merge-diff 4.1.2 run by ../shared/tools/smd-oracle):
     * driftwarden applied {@code podSelector: {matchLabels: {app: a}}}, then {@code manager} changed the selector by an
     * Update — it takes the whole atomic selector ({@code f:podSelector: {}}) and driftwarden keeps only the rest.
     */
    private static ObjectNode networkPolicy(String matchLabels, String selectorOwner) {
        ObjectNode policy = json("""
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"np","namespace":"n"},
                 "spec":{"podSelector":{"matchLabels":%s},"policyTypes":["Ingress"]}}""".formatted(matchLabels));
        if (selectorOwner != null) {
            ((ObjectNode) policy.get("metadata")).set("managedFields", json("""
                    {"m":[{"manager":"driftwarden","operation":"Apply","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:policyTypes":{}}}},
                      {"manager":"%s","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:podSelector":{}}}}]}"""
                    .formatted(selectorOwner)).get("m"));
        }
        return policy;
    }

    @ParameterizedTest(name = "edited by {0}")
    @ValueSource(strings = {"kubectl-edit", "kubectl-patch", "kubectl-client-side-apply"})
    void findsAKeyAddedByHandInsideAnAtomicSelector(String manager) {
        // given a NetworkPolicy whose podSelector (an atomic LabelSelector) gained a key by hand
        ObjectNode git = networkPolicy("{\"app\":\"a\"}", null);
        ObjectNode live = networkPolicy("{\"app\":\"a\",\"debug\":\"1\"}", manager);

        // when
        Drift drift = diff(git, live);

        // then the key is drift, added by whoever owns the whole selector now
        assertThat(drift.paths()).containsExactly("spec.podSelector.matchLabels.debug");
        assertThat(drift.details().get(0).because()).isEqualTo("added by " + manager);
        assertThat(drift.liveOnly()).hasSize(1);
    }

    @Test
    void leavesWhatAControllerOrTheServerPutInsideAnAtomicStructAlone() {
        // given the same selector owned whole by a controller
        ObjectNode git = networkPolicy("{\"app\":\"a\"}", null);
        assertThat(diff(git, networkPolicy("{\"app\":\"a\",\"debug\":\"1\"}", "policy-controller")).type())
                .isEqualTo(DriftType.IN_SYNC);

        // and a downward-API fieldRef (atomic ObjectFieldSelector) whose apiVersion the server defaulted, owned by driftwarden
        ObjectNode gitDeployment = deployment("{\"name\":\"c\",\"image\":\"i\",\"env\":[{\"name\":\"POD\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}}]}");
        ObjectNode liveDeployment = deployment("{\"name\":\"c\",\"image\":\"i\",\"env\":[{\"name\":\"POD\",\"valueFrom\":{\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.name\"}}}]}");
        ((ObjectNode) liveDeployment.get("metadata")).set("managedFields", json("""
                {"m":[{"manager":"driftwarden","operation":"Apply","fieldsV1":{"f:spec":{"f:template":{"f:spec":{"f:containers":
                    {"k:{\\"name\\":\\"c\\"}":{".":{},"f:image":{},"f:name":{},"f:env":{"k:{\\"name\\":\\"POD\\"}":
                    {".":{},"f:name":{},"f:valueFrom":{"f:fieldRef":{}}}}}}}}}}}]}""").get("m"));

        assertThat(diff(gitDeployment, liveDeployment).type()).isEqualTo(DriftType.IN_SYNC);
    }

    @Test
    void comparesAnAtomicStructWholeWhenGitChangesOneOfItsMembers() {
        ObjectNode git = networkPolicy("{\"app\":\"b\"}", null);
        ObjectNode live = networkPolicy("{\"app\":\"a\",\"debug\":\"1\"}", "kubectl-edit");

        Drift drift = diff(git, live);

        assertThat(drift.paths()).containsExactly("spec.podSelector");
        assertThat(drift.details().get(0).because()).isEqualTo("differs from Git");
    }

    @Test
    void findsASubjectAddedByHandToARoleBindingButNotAMemberOfOneOfGitsSubjects() {
        // subjects is an atomic list of atomic Subjects: a subject added by hand changes the list
        ObjectNode git = json("""
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb","namespace":"n"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"},
                 "subjects":[{"kind":"ServiceAccount","name":"app","namespace":"n"}]}""");
        ObjectNode live = git.deepCopy();
        ((ArrayNode) live.get("subjects")).addObject().put("kind", "User").put("name", "mallory").put("apiGroup", "rbac.authorization.k8s.io");

        assertThat(diff(git, live).paths()).containsExactly("subjects");
        assertThat(diff(git, git.deepCopy()).type()).isEqualTo(DriftType.IN_SYNC);
    }

    @Test
    void reportsNoDriftForAnExplicitDefaultRemovedFromGit() throws IOException {
        // given the smd-deploy pair, where driftwarden's earlier apply also set the port's protocol: TCP (a +default)
        ObjectNode git = load("smd-deploy-config.yaml");
        ObjectNode live = load("smd-deploy-live.yaml");
        ObjectNode port = (ObjectNode) live.at("/metadata/managedFields/0/fieldsV1/f:spec/f:template/f:spec/f:containers")
                .get("k:{\"name\":\"nginx\"}").get("f:ports").get("k:{\"containerPort\":80,\"protocol\":\"TCP\"}");
        port.putObject("f:protocol");

        // then TCP, which the server would put back, is not drift
        assertThat(diff(git, live).type()).as(diff(git, live).maskedDiff()).isEqualTo(DriftType.IN_SYNC);
        // but a UDP port left behind is
        ((ObjectNode) live.at("/spec/template/spec/containers/0/ports/0")).put("protocol", "UDP");
        assertThat(diff(git, live).paths()).isNotEmpty();
    }

    // --- normalizers ---------------------------------------------------------------------------------------------

    @Test
    void foldsStringDataIntoDataAsTheServerDoes() {
        ObjectNode git = json("""
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"n"},"stringData":{"password":"pw-123"}}""");
        JsonNode live = json("""
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"n"},"data":{"password":"cHctMTIz"}}""");

        Drift drift = differ.diff(List.of(desired(git)), Map.of(desired(git).key(), live), List.of(), DriftManagers.KUBECTL).get(0);

        assertThat(drift.type()).isEqualTo(DriftType.IN_SYNC);
    }

    @Test
    void ignoresFieldsNamedByAnIgnoreRule() {
        ObjectNode git = json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","namespace":"n"},"spec":{"replicas":3}}""");
        JsonNode live = json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","namespace":"n"},"spec":{"replicas":7}}""");
        var rule = new IgnoreRule(null, "Deployment", null, null, List.of("/spec/replicas"));

        Drift drift = differ.diff(List.of(desired(git)), Map.of(desired(git).key(), live), List.of(rule), DriftManagers.KUBECTL).get(0);

        assertThat(drift.type()).isEqualTo(DriftType.IN_SYNC);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private Drift diff(ObjectNode git, JsonNode live) {
        return differ.diff(desired(git), live, Normalizer.noop(), DriftManagers.KUBECTL);
    }

    private static ObjectNode deployment(String containers) {
        return podSpec("{\"containers\":[" + containers + "]}");
    }

    private static ObjectNode podSpec(String spec) {
        return json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"n"},
                 "spec":{"template":{"spec":%s}}}""".formatted(spec));
    }

    private static ObjectNode configMap(String metadataExtra, String data) {
        ObjectNode map = json("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"n"},"data":%s}""".formatted(data));
        ((ObjectNode) map.get("metadata")).setAll((ObjectNode) json(metadataExtra));
        return map;
    }

    private static ObjectNode container(ObjectNode deployment) {
        return (ObjectNode) deployment.get("spec").get("template").get("spec").get("containers").get(0);
    }

    static DesiredObject desired(ObjectNode manifest) {
        JsonNode meta = manifest.get("metadata");
        ResourceKey key = ResourceKey.of(manifest.get("apiVersion").asString(), manifest.get("kind").asString(),
                meta.path("namespace").asString(""), meta.get("name").asString());
        return new DesiredObject(key, manifest, "test");
    }

    /** A fixture; Argo CD's field manager in the YAML pairs is read as driftwarden's (SOURCE.md). */
    static ObjectNode load(String name) throws IOException {
        try (InputStream in = DifferTest.class.getResourceAsStream("/live-objects/diff/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("manager: argocd-controller", "manager: driftwarden");
            return (ObjectNode) Serialization.unmarshal(text, JsonNode.class);
        }
    }

    static ObjectNode json(String text) {
        return (ObjectNode) Serialization.jsonMapper().readTree(text);
    }
}
