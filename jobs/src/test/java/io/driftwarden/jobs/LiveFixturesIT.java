package io.driftwarden.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.sandbox.SandboxRequest;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox adds no defaults, so this test seeds it with objects as real API servers stored them (the
 * {@code *-live.json} fixtures, plus driftwarden's two labels) and puts the matching {@code *-config.json} in Git:
 * a plan must find no drift, and after one field changes in Git, drift on exactly that field. It proves the differ
 * against real server output through the whole pipeline; it cannot prove how a real server would merge the apply.
 */
class LiveFixturesIT {

    /** fixture pair → the namespace its live object is in ("" = cluster-scoped). */
    private static final Map<String, String> PAIRS = Map.of(
            "deployment", "default", "wordpress", "argocd", "spinnaker-sa", "spinnaker", "endpoints", "default",
            "grafana-clusterrole", "");

    @TempDir
    Path tmp;

    @Test
    void planFindsNoDriftOnRealServerObjectsThenExactlyTheFieldChangedInGit() throws Exception {
        try (World world = new World(tmp); GitRepo repo = world.repo("repo"); KubernetesClient kubectl = world.sandbox.client()) {
            StringBuilder bindings = new StringBuilder();
            for (Map.Entry<String, String> pair : PAIRS.entrySet()) {
                String binding = pair.getKey();
                seed(kubectl, fixture(pair.getKey() + "-live.json"), binding);
                repo.write(binding + "/" + binding + ".json", fixture(pair.getKey() + "-config.json").toString());
                bindings.append("""
                          - name: %s
                            source: repo
                            path: %s
                            cluster: sandbox
                            namespace: %s
                        """.formatted(binding, binding, pair.getValue().isEmpty() ? "default" : pair.getValue()));
            }
            repo.commit("fixtures");
            DriftwardenConfig config = world.config("sources:\n  - name: repo\n    url: " + repo.url() + "\nbindings:\n" + bindings);

            // when every binding is planned (audit mode is the default)
            for (String binding : PAIRS.keySet()) {
                BindingResult result = world.reconcile(config, binding);

                // then nothing drifted
                assertThat(result.error()).as(binding).isNull();
                assertThat(result.drifts()).as(binding).singleElement()
                        .satisfies(d -> assertThat(d.drifted()).as(d.maskedDiff()).isFalse());
            }
            assertThat(world.writes()).extracting(SandboxRequest::path).filteredOn(path -> !path.equals("/api/v1/namespaces"))
                    .hasSize(PAIRS.size()); // only the seeding POSTs (and the namespaces they needed)

            // when one field changes in Git
            ObjectNode deployment = fixture("deployment-config.json");
            ((ObjectNode) deployment.get("spec")).put("replicas", 2);
            repo.write("deployment/deployment.json", deployment.toString()).commit("scale to 2");
            BindingResult changed = world.reconcile(config, "deployment");

            // then exactly that field is drift
            Drift drift = changed.drifts().get(0);
            assertThat(drift.paths()).containsExactly("spec.replicas");
            assertThat(drift.maskedDiff()).startsWith("~ spec.replicas: 1 -> 2 (differs from Git, changed by ");
        }
    }

    /** Creates the live object as the cluster's state, with the labels driftwarden would have put on it. */
    private static void seed(KubernetesClient kubectl, ObjectNode live, String binding) {
        ObjectNode metadata = (ObjectNode) live.get("metadata");
        metadata.remove(List.of("resourceVersion", "uid", "creationTimestamp", "selfLink"));
        ObjectNode labels = (ObjectNode) metadata.get("labels");
        labels.put(Renderer.MANAGED_BY, "driftwarden");
        labels.put(Renderer.BINDING_LABEL, binding);
        GenericKubernetesResource resource = Serialization.jsonMapper().treeToValue(live, GenericKubernetesResource.class);
        var resources = kubectl.genericKubernetesResources(resource.getApiVersion(), resource.getKind());
        String namespace = resource.getMetadata().getNamespace();
        if (namespace != null && kubectl.namespaces().withName(namespace).get() == null) {
            kubectl.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
        (namespace == null ? resources.resource(resource) : resources.inNamespace(namespace).resource(resource)).create();
    }

    private static ObjectNode fixture(String name) throws Exception {
        try (InputStream in = LiveFixturesIT.class.getResourceAsStream("/live-objects/diff/" + name)) {
            return (ObjectNode) Serialization.jsonMapper().readTree(in);
        }
    }
}
