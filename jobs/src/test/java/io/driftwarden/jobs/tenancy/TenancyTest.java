package io.driftwarden.jobs.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftManagers;
import io.driftwarden.config.HelmSettings;
import io.driftwarden.config.Mode;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.kube.KindScopes;
import io.driftwarden.kube.Schemas;
import io.driftwarden.jobs.tenancy.Tenancy.Request;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The tenancy gate as a table: each row a write or delete a tenant with write access to one repository could attempt,
 * and the verdict (null: allowed; else a fragment of the reason). Scopes are Kubernetes' Go types plus what a cluster's
 * discovery would say of two custom kinds.
 */
class TenancyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> DENY = Set.of("ClusterRole", "ClusterRoleBinding");
    /** Go types and CRDs as in a run; the cluster's discovery knows cert-manager's ClusterIssuer and a namespaced Widget. */
    private static final KindScopes SCOPES = Schemas.builtin().orElse((apiVersion, kind) -> switch (apiVersion + " " + kind) {
        case "cert-manager.io/v1 ClusterIssuer", "evil.example/v1 CustomResourceDefinition" -> KindScopes.Scope.CLUSTER;
        case "example.com/v1 Widget" -> KindScopes.Scope.NAMESPACED;
        default -> KindScopes.Scope.UNKNOWN;
    });

    static Stream<Arguments> rows() {
        BindingSpec teamA = binding(List.of(), List.of(), false);
        BindingSpec withShared = binding(List.of("team-a", "shared"), List.of(), false);
        BindingSpec crds = binding(List.of(), List.of("CustomResourceDefinition"), false);
        BindingSpec adopting = binding(List.of(), List.of("CustomResourceDefinition"), true);
        BindingSpec namespaces = binding(List.of(), List.of("Namespace"), false);
        BindingSpec storage = binding(List.of(), List.of("StorageClass"), false);
        BindingSpec issuers = binding(List.of(), List.of("ClusterIssuer.cert-manager.io"), false);
        return Stream.of(
                // writes
                row("a ConfigMap in the binding's namespace", teamA, write("v1", "ConfigMap", "team-a", "settings", "{}", null), null),
                row("a custom namespaced kind the cluster serves", teamA, write("example.com/v1", "Widget", "team-a", "w", "{}", null), null),
                row("a ConfigMap in an allowed second namespace", withShared, write("v1", "ConfigMap", "shared", "c", "{}", null), null),
                row("a ConfigMap in kube-system", teamA, write("v1", "ConfigMap", "kube-system", "x", "{}", null),
                        "namespace kube-system is outside binding team-a's allowNamespaces [team-a]"),
                row("a ClusterRole granting everything", teamA, write("rbac.authorization.k8s.io/v1", "ClusterRole", "", "all", "{}", null),
                        "kind ClusterRole is denied to every binding (denyKinds)"),
                row("a RoleBinding to cluster-admin in its own namespace", teamA, write("rbac.authorization.k8s.io/v1", "RoleBinding", "team-a",
                        "take-over", "{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"}}", null),
                        "a binding to the cluster-admin ClusterRole is never written"),
                row("a MutatingAdmissionPolicy given the binding's namespace (the old hand list)", teamA,
                        write("admissionregistration.k8s.io/v1", "MutatingAdmissionPolicy", "team-a", "p", "{}", null),
                        "MutatingAdmissionPolicy is cluster-scoped and takes no namespace"),
                row("a MutatingAdmissionPolicy", teamA, write("admissionregistration.k8s.io/v1", "MutatingAdmissionPolicy", "", "p", "{}", null),
                        "cluster-scoped MutatingAdmissionPolicy is not in binding team-a's allowClusterKinds []"),
                row("a ServiceCIDR", teamA, write("networking.k8s.io/v1", "ServiceCIDR", "", "c", "{}", null),
                        "cluster-scoped ServiceCIDR is not in binding team-a's allowClusterKinds []"),
                row("a cluster-scoped custom kind known only to discovery", teamA, write("cert-manager.io/v1", "ClusterIssuer", "", "i", "{}", null),
                        "cluster-scoped ClusterIssuer is not in binding team-a's allowClusterKinds []"),
                row("the same custom kind given the binding's namespace", teamA,
                        write("cert-manager.io/v1", "ClusterIssuer", "team-a", "i", "{}", null), "is cluster-scoped and takes no namespace"),
                row("a custom cluster-scoped kind named with its group", issuers, write("cert-manager.io/v1", "ClusterIssuer", "", "i", "{}", null),
                        null),
                row("a custom group's kind borrowing an allowed built-in kind's name", crds,
                        write("evil.example/v1", "CustomResourceDefinition", "", "x", "{}", null), "is not in binding team-a's allowClusterKinds"),
                row("a kind nothing can place", teamA, write("evil.example/v1", "Thing", "team-a", "t", "{}", null),
                        "the scope of evil.example/v1 Thing cannot be established"),
                row("another team's Namespace", teamA, write("v1", "Namespace", "", "team-b", "{}", null),
                        "cluster-scoped Namespace is not in binding team-a's allowClusterKinds []"),
                row("its own Namespace with driftwarden's labels", teamA, write("v1", "Namespace", "", "team-a", ownLabels(""), null), null),
                row("its own Namespace made privileged", teamA,
                        write("v1", "Namespace", "", "team-a", ownLabels(",\"pod-security.kubernetes.io/enforce\":\"privileged\""), null),
                        "label pod-security.kubernetes.io/enforce needs allowClusterKinds: [Namespace]"),
                row("its own Namespace with an annotation", teamA, write("v1", "Namespace", "", "team-a",
                        "{\"metadata\":{\"name\":\"team-a\",\"annotations\":{\"scheduler.alpha.kubernetes.io/node-selector\":\"x\"}}}", null),
                        "metadata.annotations needs allowClusterKinds: [Namespace]"),
                row("its own Namespace with spec.finalizers", teamA, write("v1", "Namespace", "", "team-a",
                        "{\"metadata\":{\"name\":\"team-a\"},\"spec\":{\"finalizers\":[]}}", null), "field spec needs allowClusterKinds: [Namespace]"),
                row("its own Namespace privileged, Namespace allowed", namespaces,
                        write("v1", "Namespace", "", "team-a", ownLabels(",\"pod-security.kubernetes.io/enforce\":\"privileged\""), null), null),
                row("its own Namespace that a platform team created", teamA, write("v1", "Namespace", "", "team-a", ownLabels(""), "{}"),
                        "does not carry driftwarden.io/binding=team-a: it is not this binding's to overwrite"),
                row("another team's CRD with CRDs allowed", crds, write("apiextensions.k8s.io/v1", "CustomResourceDefinition", "",
                        "widgets.example.com", "{}", "{\"metadata\":{\"labels\":{}}}"), "set adopt: true on the binding to take it over"),
                row("another team's CRD with adopt", adopting, write("apiextensions.k8s.io/v1", "CustomResourceDefinition", "",
                        "widgets.example.com", "{}", "{}"), null),
                row("its own CRD", crds, write("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.example.com", "{}",
                        "{\"metadata\":{\"labels\":{\"driftwarden.io/binding\":\"team-a\"}}}"), null),
                row("a new CRD", crds, write("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.example.com", "{}", null), null),
                row("a CRD labelled by another binding, even with adopt", adopting, write("apiextensions.k8s.io/v1", "CustomResourceDefinition", "",
                        "widgets.example.com", "{}", "{\"metadata\":{\"labels\":{\"driftwarden.io/binding\":\"team-b\"}}}"), "binding team-b owns it"),
                row("an object another binding's label owns", withShared, write("v1", "ConfigMap", "shared", "common", "{}",
                        "{\"metadata\":{\"labels\":{\"driftwarden.io/binding\":\"team-b\"}}}"), "binding team-b owns it"),
                // deletes
                row("deleting a ConfigMap in kube-system (a stale inventory)", teamA, delete("v1", "ConfigMap", "kube-system", "x", "{}"),
                        "namespace kube-system is outside binding team-a's allowNamespaces"),
                row("deleting another team's Namespace it once declared", teamA, delete("v1", "Namespace", "", "team-b",
                        "{\"metadata\":{\"labels\":{\"driftwarden.io/binding\":\"team-a\"}}}"), "cluster-scoped Namespace is not in"),
                row("deleting a ClusterRole", teamA, delete("rbac.authorization.k8s.io/v1", "ClusterRole", "", "x", "{}"), "denyKinds"),
                row("deleting an allowed cluster kind someone else made", storage, delete("storage.k8s.io/v1", "StorageClass", "", "fast", "{}"),
                        "it is not this binding's to delete"),
                row("deleting its own StorageClass", storage, delete("storage.k8s.io/v1", "StorageClass", "", "fast",
                        "{\"metadata\":{\"labels\":{\"driftwarden.io/binding\":\"team-a\"}}}"), null),
                row("deleting its own Namespace (prune guards decide)", teamA, delete("v1", "Namespace", "", "team-a",
                        "{\"metadata\":{\"labels\":{\"driftwarden.io/binding\":\"team-a\"}}}"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachThreatGetsItsVerdict(String threat, BindingSpec binding, Request request, String refusedBecause) {
        String reason = Tenancy.reason(binding, DENY, SCOPES, request);

        if (refusedBecause == null) {
            assertThat(reason).as(threat).isNull();
        } else {
            assertThat(reason).as(threat).isNotNull().contains(refusedBecause);
        }
    }

    private static Arguments row(String threat, BindingSpec binding, Request request, String refusedBecause) {
        return Arguments.of(threat, binding, request, refusedBecause);
    }

    private static Request write(String apiVersion, String kind, String namespace, String name, String manifest, String live) {
        return new Request(ResourceKey.of(apiVersion, kind, namespace, name), json(manifest), live == null ? null : json(live), false);
    }

    private static Request delete(String apiVersion, String kind, String namespace, String name, String live) {
        return Request.delete(ResourceKey.of(apiVersion, kind, namespace, name), json(live));
    }

    private static String ownLabels(String more) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\",\"labels\":"
                + "{\"app.kubernetes.io/managed-by\":\"driftwarden\",\"driftwarden.io/binding\":\"team-a\"" + more + "}}}";
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    static BindingSpec binding(List<String> allowNamespaces, List<String> allowClusterKinds, boolean adopt) {
        return new BindingSpec("team-a", "repo", "a", "prod", "team-a", Mode.ENFORCE, false, null, List.of(), DriftManagers.KUBECTL,
                new HelmSettings("team-a", List.of(), JsonNodeFactory.instance.objectNode()), true, null, allowNamespaces,
                allowClusterKinds, adopt, false, "driftwarden.yaml:7");
    }

}
