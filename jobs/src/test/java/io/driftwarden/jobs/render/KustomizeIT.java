package io.driftwarden.jobs.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kustomize bindings rendered by the real kustomize ({@code kubectl kustomize} on our machines; these tests fail with
 * what to install when neither kustomize nor kubectl is on PATH) and applied to the sandbox. What the sandbox cannot
 * prove: how a real API server would default what kustomize produced.
 */
class KustomizeIT {

    private static final String BASE_DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    env:
                    - {name: MODE, value: base}
            """;

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
    void anOverlayIsRenderedByKustomizeAppliedAndTheSecondRunWritesNothing() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("base/kustomization.yaml", "resources: [deployment.yaml]\n")
                .write("base/deployment.yaml", BASE_DEPLOYMENT)
                .write("overlays/prod/kustomization.yaml", """
                        resources: [../../base]
                        namePrefix: prod-
                        commonLabels: {env: prod}
                        images:
                        - {name: nginx, newTag: "1.27"}
                        patches:
                        - path: replicas.yaml
                        configMapGenerator:
                        - name: settings
                          literals: [color=blue]
                        """)
                .write("overlays/prod/replicas.yaml", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web}
                        spec:
                          replicas: 3
                          template:
                            spec:
                              containers:
                              - name: web
                                env:
                                - {name: MODE, value: prod}
                        """)
                .commit("base and overlay");
            DriftwardenConfig config = world.config(World.sources(repo) + World.binding("shop", "overlays/prod"));

            BindingResult first = world.reconcile(config, "shop");

            assertThat(first.error()).isNull();
            Deployment web = client.apps().deployments().inNamespace("shop").withName("prod-web").get();
            assertThat(web.getSpec().getReplicas()).isEqualTo(3);
            assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.27");
            assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).getValue()).isEqualTo("prod");
            assertThat(web.getMetadata().getLabels()).containsEntry("env", "prod").containsEntry(Renderer.BINDING_LABEL, "shop");
            assertThat(web.getMetadata().getAnnotations()).doesNotContainKey("config.kubernetes.io/origin");
            ConfigMap settings = client.configMaps().inNamespace("shop").list().getItems().get(0);
            assertThat(settings.getMetadata().getName()).startsWith("prod-settings-");
            assertThat(settings.getData()).containsEntry("color", "blue");
            assertThat(first.drifts()).extracting(d -> d.desired().origin())
                    .contains("base/deployment.yaml (via overlays/prod/kustomization)");

            world.sandbox.clearRequests();
            BindingResult second = world.reconcile(config, "shop");
            assertThat(second.error()).isNull();
            assertThat(second.drifts()).noneMatch(d -> d.drifted());
            assertThat(world.writes()).isEmpty();
        }
    }

    @Test
    void remoteResourcesHelmChartsAndPluginsAreRefusedWithFileAndLine() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("app/kustomization.yaml", """
                        resources:
                        - github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0
                        - ../base
                        helmCharts:
                        - {name: redis, repo: https://charts.example.com}
                        """)
                .write("base/kustomization.yaml", "resources:\n- https://example.com/raw/deploy.yaml\n")
                .commit("remote");
            DriftwardenConfig config = world.config(World.sources(repo) + World.binding("shop", "app"));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains(
                    "app/kustomization.yaml:2: remote resource 'github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0' is refused",
                    "app/kustomization.yaml:4: helmCharts are refused",
                    "base/kustomization.yaml:2: remote resource 'https://example.com/raw/deploy.yaml' is refused");
            assertThat(world.writes()).isEmpty();
        }
    }

    @Test
    void aKustomizeErrorFailsOnlyItsBindingWithKustomizesMessage() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            // a patch whose target does not exist: only kustomize knows (a missing file is refused before it runs)
            repo.write("broken/kustomization.yaml", "resources: [cm.yaml]\npatches: [{path: patch.yaml}]\n")
                .write("broken/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken}\ndata: {k: v}\n")
                .write("broken/patch.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nothere}\nspec: {replicas: 2}\n")
                .write("fine/kustomization.yaml", "resources: [cm.yaml]\n")
                .write("fine/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\ndata: {k: v}\n")
                .commit("one broken");
            DriftwardenConfig config = world.config(World.sources(repo) + World.binding("shop", "broken") + World.binding("other", "fine"));

            BindingResult broken = world.reconcile(config, "shop");
            BindingResult fine = world.reconcile(config, "other");

            assertThat(broken.error()).contains("broken/kustomization.yaml: ", "kustomize failed (exit", "Deployment.v1.apps/nothere");
            assertThat(fine.error()).isNull();
            assertThat(client.configMaps().inNamespace("other").withName("fine").get()).isNotNull();
        }
    }

    /**
     * The measured attack: kustomize 5.5 fetches {@code configMapGenerator.files} and {@code patches[].path} URLs, and the
     * body became ConfigMap data (a tenant reading the cluster network or a metadata endpoint). A loopback server records
     * every request; the bindings fail at the kustomization's line, before kustomize runs.
     */
    @Test
    void urlsInGeneratorFilesAndPatchPathsAreRefusedBeforeAnythingIsFetched() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = "secret-from-the-cluster-network\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try (GitRepo repo = world.repo("repo")) {
            // given two tenant kustomizations naming URLs where kustomize reads files
            repo.write("shop/kustomization.yaml", """
                        configMapGenerator:
                        - name: stolen
                          files:
                          - %s/x
                        """.formatted(url))
                .write("other/kustomization.yaml", """
                        resources: [cm.yaml]
                        patches:
                        - path: %s/p
                        """.formatted(url))
                .write("other/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {k: v}\n")
                .commit("ssrf");
            DriftwardenConfig config = world.config(World.sources(repo) + World.binding("shop", "shop") + World.binding("other", "other"));

            // when both bindings run
            BindingResult generator = world.reconcile(config, "shop");
            String generatorRun = world.lastRunId();
            BindingResult patch = world.reconcile(config, "other");
            String patchRun = world.lastRunId();

            // then each failed at its line, nothing reached the server, nothing was written, and each failure is audited
            String generatorRefusal = "shop/kustomization.yaml:4: remote file '" + url + "/x' in configMapGenerator[0].files is refused";
            String patchRefusal = "other/kustomization.yaml:3: remote file '" + url + "/p' in patches[0].path is refused";
            assertThat(generator.error()).contains(generatorRefusal);
            assertThat(patch.error()).contains(patchRefusal);
            assertThat(requests).isEmpty();
            assertThat(world.writes()).isEmpty();
            assertThat(failures(generatorRun)).singleElement().asString().contains(generatorRefusal);
            assertThat(failures(patchRun)).singleElement().asString().contains(patchRefusal);
        } finally {
            server.stop(0);
        }
    }

    /** The errors of a run's FAILED audit rows. */
    private List<String> failures(String runId) {
        return world.audit.records(ReportFilter.all()).stream()
                .filter(r -> r.entry().runId().equals(runId) && r.entry().event() == EventType.FAILED)
                .map(r -> r.entry().error()).toList();
    }

    /**
     * The process's own guards, with the pre-check bypassed (the package-private seam): what kustomize would fetch if
     * the policy missed a field. Go sends no loopback request through a proxy, so a loopback server could not show the
     * proxy is used; a non-loopback host can: with the proxy variables the error is the closed proxy port refusing
     * ({@code proxyconnect ... 127.0.0.1:1}), without them it would be a DNS failure for {@code example.invalid}. Git over
     * ssh ignores proxies and is refused by {@code GIT_ALLOW_PROTOCOL}; a configured command asking for
     * {@code LoadRestrictionsNone} gets the strictest restrictor after it.
     */
    @Test
    void kustomizeItselfReachesNothingWhenThePreCheckIsBypassed() throws Exception {
        // given kustomizations the pre-check would refuse, written straight into an exported tree
        Path tree = Files.createDirectories(tmp.resolve("export/tree"));
        write(tree.resolve("http/kustomization.yaml"), "resources:\n- https://example.invalid/x.yaml\n");
        write(tree.resolve("generator/kustomization.yaml"), "configMapGenerator:\n- name: g\n  files: [https://example.invalid/x]\n");
        write(tree.resolve("ssh/kustomization.yaml"), "resources:\n- git@example.invalid:org/repo\n");
        write(tree.resolve("outside.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: outside}\n");
        write(tree.resolve("up/kustomization.yaml"), "resources: [../outside.yaml]\n");
        KustomizeBuild kustomize = new KustomizeBuild(List.of(), Duration.ofSeconds(60));
        KustomizeBuild configured = new KustomizeBuild(
                List.of("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone"), Duration.ofSeconds(60));

        // when kustomize runs on them
        // then nothing is fetched and no file outside a kustomization's folder is read
        assertThatThrownBy(() -> kustomize.buildUnchecked(tree, "http", Files.createDirectories(tmp.resolve("w1"))))
                .hasMessageContaining("https://example.invalid/x.yaml").hasMessageContaining("proxyconnect tcp: dial tcp 127.0.0.1:1");
        assertThatThrownBy(() -> kustomize.buildUnchecked(tree, "generator", Files.createDirectories(tmp.resolve("w2"))))
                .hasMessageContaining("proxyconnect tcp: dial tcp 127.0.0.1:1");
        assertThatThrownBy(() -> kustomize.buildUnchecked(tree, "ssh", Files.createDirectories(tmp.resolve("w3"))))
                .hasMessageContaining("transport 'ssh' not allowed");
        assertThatThrownBy(() -> configured.buildUnchecked(tree, "up", Files.createDirectories(tmp.resolve("w4"))))
                .hasMessageContaining("up/kustomization.yaml: kubectl kustomize --load-restrictor LoadRestrictionsNone failed")
                .hasMessageContaining("is not in or below");
    }

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
