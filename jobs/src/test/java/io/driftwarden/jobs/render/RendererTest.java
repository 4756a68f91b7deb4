package io.driftwarden.jobs.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.HelmSettings;
import io.driftwarden.config.Mode;
import io.driftwarden.jobs.resource.DesiredObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class RendererTest {

    private static final HelmSettings HELM = new HelmSettings("shop", List.of(), JsonNodeFactory.instance.objectNode());
    private static final BindingSpec BINDING = new BindingSpec("shop", "repo", "apps", "prod", "shop", Mode.ENFORCE,
            false, null, List.of(), io.driftwarden.config.DriftManagers.KUBECTL, HELM, false, null,
            List.of(), List.of(), false, false, "driftwarden.yaml:5");

    private final Renderer renderer = new Renderer(List.of());

    @Test
    void readsEveryDocumentWithItsFileAndLine() {
        Map<String, String> files = new TreeMap<>(Map.of(
                "apps/a.yaml", """
                        # leading comment
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: one
                        ---
                        ---
                        apiVersion: v1
                        kind: Namespace
                        metadata:
                          name: shop
                        """,
                "apps/b.json", """
                        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "other"}}
                        """));

        List<DesiredObject> objects = renderer.render(files, BINDING);

        assertThat(objects).extracting(o -> o.key().subject() + " @ " + o.origin()).containsExactly(
                "ConfigMap/shop/one @ apps/a.yaml:2",
                "Namespace/shop @ apps/a.yaml:8",
                "Deployment/other/api @ apps/b.json:1");
        assertThat(objects.get(0).manifest().get("metadata").get("labels").toString())
                .isEqualTo("{\"app.kubernetes.io/managed-by\":\"driftwarden\",\"driftwarden.io/binding\":\"shop\"}");
    }

    @Test
    void failsTheWholeBindingWithEveryProblemAndItsLine() {
        Map<String, String> files = new TreeMap<>(Map.of(
                "apps/bad.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: broken
                        data:
                          key: [unclosed
                        """,
                "apps/dup.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: twice
                          name: again
                        """,
                "apps/nokind.yaml", """
                        apiVersion: v1
                        metadata:
                          name: anonymous
                        """,
                "apps/ok.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: fine
                        """));

        assertThatThrownBy(() -> renderer.render(files, BINDING))
                .isInstanceOfSatisfying(RenderException.class, e -> assertThat(e.problems()).containsExactly(
                        "apps/bad.yaml:7: while parsing a flow sequence, expected ',' or ']', but got <stream end>",
                        "apps/dup.yaml:5: duplicate key 'name'",
                        "apps/nokind.yaml:1: missing kind"));
    }

    @Test
    void refusesNamesThatWouldWalkOutOfTheRequestPath() {
        Map<String, String> files = new TreeMap<>(Map.of(
                "apps/dots.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ..}\n",
                "apps/slash.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a/../../secrets}\n",
                "apps/ns.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: '../kube-system'}\n"));

        assertThatThrownBy(() -> renderer.render(files, BINDING)).isInstanceOf(RenderException.class)
                .satisfies(e -> assertThat(((RenderException) e).problems()).containsExactly(
                        "apps/dots.yaml:1: metadata.name '..' may not be '.' or '..' or contain '/' or '%' (it names the object in the request path)",
                        "apps/ns.yaml:1: metadata.namespace '../kube-system' may not be '.' or '..' or contain '/' or '%' (it names the object in the request path)",
                        "apps/slash.yaml:1: metadata.name 'a/../../secrets' may not be '.' or '..' or contain '/' or '%' (it names the object in the request path)"));
    }

    @Test
    void refusesTheSameObjectTwice() {
        String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n";
        assertThatThrownBy(() -> renderer.render(new TreeMap<>(Map.of("apps/a.yaml", cm, "apps/b.yaml", cm)), BINDING))
                .isInstanceOfSatisfying(RenderException.class, e -> assertThat(e.problems()).containsExactly(
                        "apps/b.yaml:1: ConfigMap/shop/same is already declared at apps/a.yaml:1"));
    }

    @Test
    void refusesAKustomizationBelowAPlainPathRatherThanApplyingItAsAManifest() {
        assertThatThrownBy(() -> renderer.render(Map.of("apps/base/kustomization.yaml", "resources: [a.yaml]\n"), BINDING))
                .isInstanceOfSatisfying(RenderException.class, e -> assertThat(e.problems()).containsExactly(
                        "apps/base/kustomization.yaml:1: a kustomization below the binding's path is not rendered; "
                                + "point the binding's path at its folder"));
    }

    @Test
    void declaresTheBindingNamespaceWhenAskedTo() {
        BindingSpec creating = new BindingSpec("shop", "repo", "apps", "prod", "shop", Mode.ENFORCE, true, null, List.of(), io.driftwarden.config.DriftManagers.KUBECTL, HELM, false, null,
            List.of(), List.of(), false, false, "driftwarden.yaml:5");

        List<DesiredObject> objects = renderer.render(Map.of("apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"), creating);

        assertThat(objects).extracting(o -> o.key().subject()).containsExactly("Namespace/shop", "ConfigMap/shop/x");
    }
}
