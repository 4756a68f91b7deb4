package io.driftwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.kube.FieldType.Struct;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The markers the bundled Go types data carries beyond field types: {@code typeMarkers} ({@code +structType=atomic} on
 * a type's declaration) and a field's {@code default} ({@code +default=}), as the differ, the sandbox and the OpenAPI
 * documents read them.
 */
class TypeMarkersTest {

    private static final Schemas SCHEMAS = Schemas.builtin();

    @Test
    void marksTheStructsKubernetesDeclaresAtomicWhereverTheyAreUsed() {
        // given the types a real server keeps as one owned field (f:podSelector: {})
        Struct policy = struct(SCHEMAS.kind("networking.k8s.io/v1", "NetworkPolicy"), "spec");
        Struct binding = (Struct) SCHEMAS.kind("rbac.authorization.k8s.io/v1", "RoleBinding");
        Struct deploymentSpec = struct(SCHEMAS.kind("apps/v1", "Deployment"), "spec");
        Struct container = container();
        Struct meta = struct(SCHEMAS.kind("v1", "ConfigMap"), "metadata");

        // then
        assertThat(policy.field("podSelector").type().isAtomic()).as("LabelSelector").isTrue();
        assertThat(deploymentSpec.field("selector").type().isAtomic()).as("LabelSelector behind a pointer").isTrue();
        assertThat(binding.field("roleRef").type().isAtomic()).as("RoleRef").isTrue();
        assertThat(((FieldType.ListOf) binding.field("subjects").type()).element().isAtomic()).as("Subject").isTrue();
        assertThat(((FieldType.ListOf) meta.field("ownerReferences").type()).element().isAtomic()).as("OwnerReference").isTrue();
        Struct envSource = struct(listElement(container, "env"), "valueFrom");
        assertThat(envSource.field("secretKeyRef").type().isAtomic()).as("SecretKeySelector").isTrue();
        assertThat(envSource.field("fieldRef").type().isAtomic()).as("ObjectFieldSelector").isTrue();
        // and the structs around them stay granular
        assertThat(policy.isAtomic()).isFalse();
        assertThat(deploymentSpec.isAtomic()).isFalse();
        assertThat(container.isAtomic()).isFalse();
    }

    @Test
    void letsAFieldsOwnStructTypeBeatItsTypes() {
        // PersistentVolumeSpec.claimRef is an ObjectReference (atomic) marked +structType=granular on the field
        Struct pvSpec = struct(SCHEMAS.kind("v1", "PersistentVolume"), "spec");
        Struct event = (Struct) SCHEMAS.kind("v1", "Event");

        assertThat(pvSpec.field("claimRef").type().isAtomic()).isFalse();
        assertThat(((Struct) pvSpec.field("claimRef").type()).name()).isEqualTo("core/v1.ObjectReference");
        assertThat(event.field("involvedObject").type().isAtomic()).isTrue();
    }

    @Test
    void readsFieldDefaultsFromTheData() {
        Struct port = (Struct) listElement(container(), "ports");
        Struct servicePort = (Struct) listElement(struct(SCHEMAS.kind("v1", "Service"), "spec"), "ports");
        Struct rcSpec = struct(SCHEMAS.kind("v1", "ReplicationController"), "spec");

        assertThat(port.field("protocol").defaultValue().asString()).isEqualTo("TCP");
        assertThat(servicePort.field("protocol").isDefault(tools.jackson.databind.node.StringNode.valueOf("TCP"))).isTrue();
        assertThat(rcSpec.field("replicas").defaultValue().asInt()).isEqualTo(1);
        assertThat(port.field("containerPort").defaultValue()).isNull();
        // a default naming a Go constant the data does not resolve is no default
        Struct azure = struct(struct(SCHEMAS.kind("v1", "PersistentVolume"), "spec"), "azureDisk");
        assertThat(azure.field("kind").defaultValue()).isNull();
        assertThat(azure.field("fsType").defaultValue().asString()).isEqualTo("ext4");
    }

    @Test
    void takesTheProtocolDefaultOfKeyedPortsFromTheData() {
        assertThat(Keys.defaults(listElement(container(), "ports"))).containsEntry("protocol", "TCP");
        assertThat(Keys.defaults(listElement(struct(SCHEMAS.kind("v1", "Service"), "spec"), "ports"))).containsEntry("protocol", "TCP");
        assertThat(Keys.defaults(listElement(container(), "env"))).isEmpty();

        // the server's identity of an element sent without its protocol
        ObjectNode deployment = (ObjectNode) tools.jackson.databind.json.JsonMapper.builder().build().readTree("""
                {"spec":{"template":{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80}]}]}}}}""");
        Keys.fillDefaults(deployment, SCHEMAS.kind("apps/v1", "Deployment"));
        assertThat(deployment.at("/spec/template/spec/containers/0/ports/0/protocol").asString()).isEqualTo("TCP");
    }

    @Test
    void writesAtomicStructsIntoFieldSetsAsOneMember() {
        // as a real API server's managedFields name a selector: f:selector: {}
        JsonNode deployment = tools.jackson.databind.json.JsonMapper.builder().build().readTree("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
                 "spec":{"selector":{"matchLabels":{"app":"a"}},"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}}""");

        FieldTree fields = FieldTree.of(deployment, SCHEMAS.kind("apps/v1", "Deployment"));

        assertThat(fields.toFieldsV1().at("/f:spec/f:selector").toString()).isEqualTo("{}");
    }

    @Test
    void marksAtomicStructDefinitionsInTheOpenApiDocuments() {
        JsonNode schemas = SCHEMAS.openApi().schemas(SCHEMAS.servedKinds().stream()
                .filter(k -> k.apiVersion().equals("networking.k8s.io/v1") && k.kind().equals("NetworkPolicy")).toList());
        JsonNode core = SCHEMAS.openApi().schemas(SCHEMAS.servedKinds().stream()
                .filter(k -> k.apiVersion().equals("v1") && List.of("PersistentVolume", "Pod").contains(k.kind())).toList());

        assertThat(schemas.at("/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector/x-kubernetes-map-type").asString()).isEqualTo("atomic");
        assertThat(schemas.at("/io.k8s.api.networking.v1.NetworkPolicySpec/x-kubernetes-map-type").isMissingNode()).isTrue();
        assertThat(core.at("/io.k8s.api.core.v1.ObjectReference/x-kubernetes-map-type").asString()).isEqualTo("atomic");
        assertThat(core.at("/io.k8s.api.core.v1.SecretKeySelector/x-kubernetes-map-type").asString()).isEqualTo("atomic");
        assertThat(core.at("/io.k8s.api.core.v1.PersistentVolumeSpec/properties/claimRef/x-kubernetes-map-type").asString())
                .isEqualTo("granular");
        assertThat(core.at("/io.k8s.api.core.v1.PodSpec/properties/nodeSelector/x-kubernetes-map-type").asString()).isEqualTo("atomic");
    }

    private static Struct container() {
        Struct pod = struct(struct(struct(SCHEMAS.kind("apps/v1", "Deployment"), "spec"), "template"), "spec");
        return (Struct) listElement(pod, "containers");
    }

    private static Struct struct(FieldType type, String field) {
        return (Struct) ((Struct) type).field(field).type();
    }

    private static FieldType listElement(Struct struct, String field) {
        return ((FieldType.ListOf) struct.field(field).type()).element();
    }
}
