package io.driftwarden.jobs.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftManagers;
import io.driftwarden.config.HelmSettings;
import io.driftwarden.config.Mode;
import io.driftwarden.jobs.rbac.RbacRules.Grants;
import io.driftwarden.jobs.rbac.RbacRules.Rendered;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class RbacRulesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CRD = """
            {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "widgets.acme.io"},
             "spec": {"group": "acme.io", "scope": "Namespaced", "names": {"kind": "Widget", "plural": "widgets"}}}""";

    /** Each row: the binding's switches, its objects, and every rule the grants hold, as "namespace|group|resource|verbs". */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("a ConfigMap: list, patch, create in its namespace; Namespaces listed cluster-wide",
                        binding(false, List.of(), List.of()), false,
                        List.of(object("v1", "ConfigMap", "shop", "settings")),
                        List.of("*||namespaces|list", "shop||configmaps|create,list,patch")),
                Arguments.of("prune adds delete; plurals follow Kubernetes' rule (Ingress, NetworkPolicy)",
                        binding(true, List.of(), List.of()), false,
                        List.of(object("networking.k8s.io/v1", "Ingress", "shop", "web"),
                                object("networking.k8s.io/v1", "NetworkPolicy", "shop", "deny")),
                        List.of("*||namespaces|list", "shop|networking.k8s.io|ingresses|create,delete,list,patch",
                                "shop|networking.k8s.io|networkpolicies|create,delete,list,patch")),
                Arguments.of("the replace annotation adds delete to that kind only",
                        binding(false, List.of(), List.of()), false,
                        List.of(replaceable(object("batch/v1", "Job", "shop", "migrate")), object("v1", "Service", "shop", "api")),
                        List.of("*||namespaces|list", "shop||services|create,list,patch", "shop|batch|jobs|create,delete,list,patch")),
                Arguments.of("a namespace outside allowNamespaces and a cluster kind not allowed get nothing",
                        binding(false, List.of("shop"), List.of()), false,
                        List.of(object("v1", "ConfigMap", "other", "x"), object("storage.k8s.io/v1", "StorageClass", "", "fast")),
                        List.of("*||namespaces|list")),
                Arguments.of("an allowed cluster kind and a second allowed namespace",
                        binding(false, List.of("shop", "shop-jobs"), List.of("StorageClass")), false,
                        List.of(object("storage.k8s.io/v1", "StorageClass", "", "fast"), object("v1", "Secret", "shop-jobs", "t")),
                        List.of("*||namespaces|list", "*|storage.k8s.io|storageclasses|create,list,patch", "shop-jobs||secrets|create,list,patch")),
                Arguments.of("the own Namespace (createNamespace) is written cluster-wide",
                        binding(false, List.of(), List.of()), false,
                        List.of(object("v1", "Namespace", "", "shop")),
                        List.of("*||namespaces|create,list,patch")),
                Arguments.of("a CRD the binding may write: its Established wait, and its kind's plural from it",
                        binding(false, List.of(), List.of("CustomResourceDefinition")), false,
                        List.of(crd(), object("acme.io/v1", "Widget", "shop", "w")),
                        List.of("*||namespaces|list", "*|apiextensions.k8s.io|customresourcedefinitions|create,get,list,patch,watch",
                                "shop|acme.io|widgets|create,list,patch")),
                Arguments.of("a cluster listed by label lists each kind across all namespaces",
                        binding(false, List.of(), List.of()), true,
                        List.of(object("apps/v1", "Deployment", "shop", "api")),
                        List.of("*||namespaces|list", "*|apps|deployments|list", "shop|apps|deployments|create,list,patch")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void grantsWhatTheRunSends(String why, BindingSpec binding, boolean listByLabel, List<DesiredObject> objects, List<String> expected) {
        // when
        Grants grants = RbacRules.of(List.of(new Rendered(binding, listByLabel, objects)));

        // then
        assertThat(rules(grants)).containsExactlyElementsOf(expected);
        assertThat(grants.problems()).isEmpty();
    }

    @Test
    void aCustomKindNoDefinitionDeclaresIsAProblem() {
        Grants grants = RbacRules.of(List.of(new Rendered(binding(false, List.of(), List.of()), false,
                List.of(object("acme.io/v1", "Gadget", "shop", "g")))));

        assertThat(grants.problems()).singleElement().asString().contains("no plural known for Gadget (acme.io/v1)");
    }

    @Test
    void whatTheInventoryHoldsIsListedAndDeletedWhenPruningEvenAfterItsKindLeftGit() {
        List<ResourceKey> held = List.of(ResourceKey.of("v1", "Secret", "shop", "token"), ResourceKey.of("v1", "Namespace", "", "shop"),
                ResourceKey.of("v1", "ConfigMap", "other", "x"), ResourceKey.of("acme.io/v1", "Widget", "shop", "w"));
        List<DesiredObject> inGit = List.of(object("v1", "ConfigMap", "shop", "settings"));

        Grants pruning = RbacRules.of(List.of(new Rendered(binding(true, List.of(), List.of()), false, inGit, held)));
        Grants notPruning = RbacRules.of(List.of(new Rendered(binding(false, List.of(), List.of()), false, inGit, held)));

        // the Secret's kind left Git; the Namespace is not pruned without pruneNamespaces; "other" is outside the allowance
        assertThat(rules(pruning)).containsExactly("*||namespaces|list", "shop||configmaps|create,delete,list,patch", "shop||secrets|delete,list");
        assertThat(pruning.problems()).singleElement().asString().contains("its inventory holds Widget/shop/w (acme.io/v1)");
        assertThat(rules(notPruning)).containsExactly("*||namespaces|list", "shop||configmaps|create,list,patch");
        assertThat(notPruning.problems()).isEmpty();
    }

    @Test
    void pruningNamespacesIsNotedAsNotCovered() {
        BindingSpec binding = new BindingSpec("shop", "repo", "app", "prod", "shop", Mode.ENFORCE, false, null, List.of(),
                DriftManagers.KUBECTL, helm(), true, null, null, List.of(), false, true, "driftwarden.yaml:3");

        assertThat(RbacRules.of(List.of(new Rendered(binding, false, List.of()))).notes()).singleElement().asString()
                .contains("binding shop prunes Namespaces");
    }

    private static List<String> rules(Grants grants) {
        List<String> rules = new ArrayList<>();
        grants.clusterWide().forEach((r, verbs) -> rules.add("*|" + r.apiGroup() + "|" + r.resource() + "|" + String.join(",", verbs)));
        grants.namespaced().forEach((namespace, resources) -> resources.forEach((r, verbs) ->
                rules.add(namespace + "|" + r.apiGroup() + "|" + r.resource() + "|" + String.join(",", verbs))));
        return rules;
    }

    private static BindingSpec binding(boolean prune, List<String> allowNamespaces, List<String> allowClusterKinds) {
        return new BindingSpec("shop", "repo", "app", "prod", "shop", Mode.ENFORCE, false, null, List.of(), DriftManagers.KUBECTL,
                helm(), prune, null, allowNamespaces, allowClusterKinds, false, false, "driftwarden.yaml:3");
    }

    private static HelmSettings helm() {
        return new HelmSettings("shop", List.of(), JsonNodeFactory.instance.objectNode());
    }

    private static DesiredObject object(String apiVersion, String kind, String namespace, String name) {
        ObjectNode manifest = JsonNodeFactory.instance.objectNode().put("apiVersion", apiVersion).put("kind", kind);
        manifest.putObject("metadata").put("name", name);
        return new DesiredObject(ResourceKey.of(apiVersion, kind, namespace, name), manifest, "app/objects.yaml:1");
    }

    private static DesiredObject replaceable(DesiredObject object) {
        ((ObjectNode) object.manifest().get("metadata")).putObject("annotations").put("driftwarden.io/replace", "true");
        return object;
    }

    private static DesiredObject crd() {
        ObjectNode manifest = (ObjectNode) JSON.readTree(CRD);
        return new DesiredObject(ResourceKey.of("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.acme.io"),
                manifest, "app/crd.yaml:1");
    }
}
