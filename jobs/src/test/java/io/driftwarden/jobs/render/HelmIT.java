package io.driftwarden.jobs.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm bindings rendered in process by Helm's own engine (helm-java's native library) from a chart committed to a
 * test repository, and applied to the sandbox. What the sandbox cannot prove: hooks, tests and lookups that need a
 * real cluster (a chart that uses {@code lookup} sees nothing here, as under {@code helm template}).
 */
class HelmIT {

    private static final List<String> CHART = List.of("Chart.yaml", "values.yaml", "values-prod.yaml",
            "templates/_helpers.tpl", "templates/deployment.yaml", "templates/configmap.yaml");

    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("shop", "other").clearRequests();
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void aChartIsRenderedWithItsValuesFileAndInlineValuesAndTheSecondRunWritesNothing() throws Exception {
        try (GitRepo repo = chart(world.repo("repo"), "charts/web"); KubernetesClient client = world.sandbox.client()) {
            repo.commit("chart");
            DriftwardenConfig config = world.config(World.sources(repo) + """
                      - name: shop
                        source: repo
                        path: charts/web
                        cluster: sandbox
                        namespace: shop
                        mode: enforce
                        helm:
                          releaseName: storefront
                          valuesFiles: [values-prod.yaml]
                          values:
                            settings: {color: green}
                            debug: true
                    """);

            BindingResult first = world.reconcile(config, "shop");

            assertThat(first.error()).isNull();
            Deployment web = client.apps().deployments().inNamespace("shop").withName("storefront-web").get();
            assertThat(web.getSpec().getReplicas()).isEqualTo(3);
            assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.27");
            assertThat(web.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "storefront")
                    .containsEntry(Renderer.BINDING_LABEL, "shop");
            assertThat(client.configMaps().inNamespace("shop").withName("storefront-settings").get().getData())
                    .containsEntry("color", "green").containsEntry("debug", "true");
            assertThat(first.drifts()).extracting(d -> d.desired().origin())
                    .containsExactlyInAnyOrder("charts/web/templates/configmap.yaml", "charts/web/templates/deployment.yaml");

            world.sandbox.clearRequests();
            BindingResult second = world.reconcile(config, "shop");
            assertThat(second.error()).isNull();
            assertThat(second.drifts()).noneMatch(d -> d.drifted());
            assertThat(world.writes()).isEmpty();
        }
    }

    @Test
    void aTemplateErrorFailsOnlyItsBindingWithHelmsMessage() throws Exception {
        try (GitRepo repo = chart(world.repo("repo"), "broken"); KubernetesClient client = world.sandbox.client()) {
            chart(repo, "fine");
            repo.write("broken/templates/bad.yaml", "value: {{ .Values.nothing.here }}\n").commit("one broken chart");
            DriftwardenConfig config = world.config(World.sources(repo) + """
                      - {name: shop, source: repo, path: broken, cluster: sandbox, namespace: shop, mode: enforce}
                      - {name: other, source: repo, path: fine, cluster: sandbox, namespace: other, mode: enforce}
                    """);

            BindingResult broken = world.reconcile(config, "shop");
            BindingResult fine = world.reconcile(config, "other");

            assertThat(broken.error()).contains("broken/Chart.yaml: helm template failed", "bad.yaml", "nil pointer");
            assertThat(fine.error()).isNull();
            assertThat(client.apps().deployments().inNamespace("other").withName("other-web").get()).isNotNull();
            assertThat(client.apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
        }
    }

    @Test
    void aValuesFileLeavingTheRepositoryIsRefused() throws Exception {
        try (GitRepo repo = chart(world.repo("repo"), "web")) {
            repo.commit("chart");
            DriftwardenConfig config = world.config(World.sources(repo) + """
                      - name: shop
                        source: repo
                        path: web
                        cluster: sandbox
                        namespace: shop
                        helm: {valuesFiles: [../../../etc/passwd]}
                    """);

            assertThat(world.reconcile(config, "shop").error()).contains("helm.valuesFiles: '../../../etc/passwd' leaves the repository");
        }
    }

    private static GitRepo chart(GitRepo repo, String path) throws IOException {
        for (String file : CHART) {
            try (InputStream in = HelmIT.class.getResourceAsStream("/charts/web/" + file)) {
                repo.write(path + "/" + file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return repo;
    }
}
