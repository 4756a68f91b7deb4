package io.driftwarden.jobs.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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

            assertThat(world.reconcile(config, "shop").error()).contains("helm.valuesFiles: '../../../etc/passwd' leaves the chart's folder web");
        }
    }

    @Test
    void aValuesFileElsewhereInTheRepositoryIsRefusedToo() throws Exception {
        try (GitRepo repo = chart(world.repo("repo"), "charts/web")) {
            repo.write("other/values.yaml", "replicaCount: 9\n").commit("chart and another team's values");
            DriftwardenConfig config = world.config(World.sources(repo) + """
                      - name: shop
                        source: repo
                        path: charts/web
                        cluster: sandbox
                        namespace: shop
                        helm: {valuesFiles: [../../other/values.yaml, ../../etc/passwd]}
                    """);

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains("helm.valuesFiles: '../../other/values.yaml' leaves the chart's folder charts/web",
                    "helm.valuesFiles: '../../etc/passwd' leaves the chart's folder charts/web");
            assertThat(world.writes()).isEmpty();
        }
    }

    @Test
    void theReportedLinkChainCannotPutAHostFileIntoAConfigMap() throws Exception {
        // given: the attack as reproduced (x/b -> . at the repository's root), and the same chain inside the chart
        String marker = "host-secret-" + UUID.randomUUID();
        Path hostFile = Files.writeString(tmp.resolve("host-token"), marker);
        String host = hostFile.toRealPath().toString().substring(1);
        String chain = "../../x" + "/b".repeat(10) + "/" + "../".repeat(11) + host; // normalises inside, resolves to /
        String chainInChart = "../x" + "/b".repeat(10) + "/" + "../".repeat(11) + host;
        try (GitRepo repo = chart(world.repo("repo"), "c"); KubernetesClient client = world.sandbox.client()) {
            repo.link("x/b", ".").link("c/x/b", ".").link("c/files/tok", chain).link("c/files/tok2", chainInChart)
                    .write("c/templates/leak.yaml", """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata:
                              name: leak
                            data:
                              tok: {{ .Files.Get "files/tok" | quote }}
                              tok2: {{ .Files.Get "files/tok2" | quote }}
                            """)
                    .commit("a chart that reads the host");
            DriftwardenConfig config = world.config(World.sources(repo) + World.binding("shop", "c"));

            // when
            BindingResult result = world.reconcile(config, "shop");

            // then
            assertThat(result.error()).contains("manifests do not render",
                    "c/files/tok: symbolic link to '" + chain + "' leaves the exported tree (c/)",
                    "c/files/tok2: symbolic link to '" + chainInChart + "' leaves the exported tree (c/)",
                    "c/x/b: symbolic link to '.' names a folder");
            assertThat(client.configMaps().inNamespace("shop").list().getItems()).isEmpty();
            assertThat(world.writes()).isEmpty();
            assertThat(world.events(world.lastRunId())).singleElement().asString().startsWith("FAILED");
            assertThat(world.everythingInTheAuditStore()).contains("c/files/tok: symbolic link to").doesNotContain(marker);
            assertThat(result.error()).doesNotContain(marker);
        }
    }

    @Test
    void linksFromTheChartToTheRestOfTheRepositoryAreRefusedFileAndSubChart() throws Exception {
        try (GitRepo repo = chart(world.repo("repo"), "charts/web"); KubernetesClient client = world.sandbox.client()) {
            chart(repo, "vendor/sub");
            repo.write("shared/secret.txt", "another team's secret\n")
                    .link("charts/web/files/shared.txt", "../../../shared/secret.txt")
                    .link("charts/web/charts/sub", "../../../vendor/sub")
                    .write("charts/web/templates/glob.yaml", """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata:
                              name: glob
                            data:
                            {{- range $path, $bytes := .Files.Glob "**" }}
                              {{ $path | replace "/" "_" }}: {{ $bytes | toString | quote }}
                            {{- end }}
                            """)
                    .commit("a chart reaching into the repository");
            DriftwardenConfig config = world.config(World.sources(repo) + World.binding("shop", "charts/web"));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains(
                    "charts/web/files/shared.txt: symbolic link to '../../../shared/secret.txt' leaves the exported tree (charts/web/)",
                    "charts/web/charts/sub: symbolic link to '../../../vendor/sub' leaves the exported tree (charts/web/)");
            assertThat(result.error()).doesNotContain("another team's secret");
            assertThat(client.configMaps().inNamespace("shop").list().getItems()).isEmpty();
        }
    }

    @Test
    void anHonestLinkInsideTheChartRendersAndFilesGlobSeesOnlyTheChart() throws Exception {
        try (GitRepo repo = chart(world.repo("repo"), "charts/web"); KubernetesClient client = world.sandbox.client()) {
            repo.write("shared/secret.txt", "another team's secret\n")
                    .write("charts/web/files/real.txt", "honest content")
                    .link("charts/web/files/alias.txt", "real.txt")
                    .write("charts/web/templates/glob.yaml", """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata:
                              name: glob
                            data:
                              alias: {{ .Files.Get "files/alias.txt" | quote }}
                              outside: {{ .Files.Get "../../shared/secret.txt" | quote }}
                              seen: "{{ range $path, $_ := .Files.Glob "**" }}{{ $path }},{{ end }}"
                            """)
                    .commit("a chart with a link to its own file");
            DriftwardenConfig config = world.config(World.sources(repo) + World.binding("shop", "charts/web"));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).isNull();
            var data = client.configMaps().inNamespace("shop").withName("glob").get().getData();
            assertThat(data).containsEntry("alias", "honest content").containsEntry("outside", "");
            assertThat(data.get("seen")).contains("files/alias.txt", "files/real.txt").doesNotContain("shared", "secret", "..");
        }
    }

    @Test
    void aFileDependencyOutsideTheChartIsRefusedAtItsLineAndNoneIsEverFetched() throws Exception {
        try (GitRepo repo = chart(world.repo("repo"), "web")) {
            chart(repo, "other");
            chart(repo, "inside");
            repo.write("web/Chart.yaml", """
                    apiVersion: v2
                    name: web
                    version: 0.1.0
                    dependencies:
                      - name: other
                        version: 0.1.0
                        repository: file://../other
                    """)
                    .write("inside/Chart.yaml", """
                    apiVersion: v2
                    name: inside
                    version: 0.1.0
                    dependencies:
                      - name: sub
                        version: 0.1.0
                        repository: file://./sub
                    """)
                    .commit("charts with local dependencies");
            DriftwardenConfig config = world.config(World.sources(repo) + World.binding("shop", "web") + World.binding("other", "inside"));

            BindingResult outside = world.reconcile(config, "shop");
            BindingResult inside = world.reconcile(config, "other");

            assertThat(outside.error()).contains("web/Chart.yaml:7: dependency repository 'file://../other' leaves the chart's folder web");
            // helm-java's template never updates or builds dependencies: one not vendored in charts/ fails, it is not fetched
            assertThat(inside.error()).contains("inside/Chart.yaml: helm template failed", "missing in charts/ directory: sub");
            assertThat(world.writes()).isEmpty();
        }
    }

    @Test
    void aRenderThatOutlivesItsTimeoutFailsAndItsThreadIsAccountedForUntilHelmReturns() throws Exception {
        Path chart = tmp.resolve("chart");
        for (String file : CHART) {
            try (InputStream in = HelmIT.class.getResourceAsStream("/charts/web/" + file)) {
                Files.createDirectories(chart.resolve(file).getParent());
                Files.write(chart.resolve(file), in.readAllBytes());
            }
        }
        // a template that takes a while whatever the machine (Helm, warm, renders the plain chart in about a millisecond)
        Files.writeString(chart.resolve("templates/slow.yaml"), "{{- range until 3000000 }}{{- end }}\n");
        BindingSpec binding = world.config("sources: [{name: repo, url: \"file:///nowhere\"}]\nbindings:\n" + World.binding("shop", "web"))
                .binding("shop");

        assertThatThrownBy(() -> new HelmTemplate(Duration.ofMillis(1)).template(chart, "web", binding, tmp))
                .isInstanceOf(RenderException.class)
                .hasMessage("web/Chart.yaml: helm template did not finish within 1 ms; the chart was not rendered and nothing of it is applied");
        await().atMost(Duration.ofSeconds(60)).until(() -> HelmTemplate.abandoned() == 0); // the abandoned render returns
        assertThat(HelmTemplate.abandoned()).isZero();
        assertThat(new HelmTemplate(Duration.ofSeconds(60)).template(chart, "web", binding, tmp)).contains("kind: Deployment");
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
