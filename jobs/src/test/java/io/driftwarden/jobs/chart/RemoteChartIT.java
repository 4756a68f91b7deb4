package io.driftwarden.jobs.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.support.ChartRepository;
import io.driftwarden.jobs.support.FaultProxy;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.HelmCharts;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bindings that render a chart from a Helm chart repository served on loopback ({@link ChartRepository}: index.yaml, the
 * archives Helm's own {@code package} made, their {@code .prov} from {@code package --sign}), applied to the sandbox. The
 * repository counts every request, so "no request" is measured where it would be made. What this cannot prove: TLS with
 * a private CA (the loopback server speaks plain HTTP) and a repository behind a CDN.
 */
class RemoteChartIT {

    @TempDir
    Path tmp;

    private World world;
    private ChartRepository charts;
    private Path one;
    private Path two;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("shop", "other").clearRequests();
        charts = ChartRepository.start();
        one = HelmCharts.packageChart(HelmCharts.create(tmp.resolve("src-1.0.0"), "web", "1.0.0", "one"), tmp.resolve("dist-1"), "web", "1.0.0");
        two = HelmCharts.packageChart(HelmCharts.create(tmp.resolve("src-1.1.0"), "web", "1.1.0", "two"), tmp.resolve("dist-2"), "web", "1.1.0");
        charts.add("web", "1.0.0", one).add("web", "1.1.0", two);
    }

    @AfterEach
    void stop() throws Exception {
        charts.close();
        world.close();
    }

    @Test
    void aPinnedChartRendersWithValuesFromGitAndTheSecondRunAsksTheRepositoryNothing() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("shop/prod.yaml", "replicaCount: 2\n").commit("values");
            String digest = "sha256:" + ChartRepository.sha256(Files.readAllBytes(one));
            DriftwardenConfig config = world.config(World.sources(repo) + binding("shop", "1.0.0", "digest: " + digest
                    + "\n      valuesFiles: [prod.yaml]"));

            BindingResult first = world.reconcile(config, "shop");

            assertThat(first.error()).isNull();
            assertThat(first.chart().digest()).isEqualTo(digest);
            assertThat(first.chart().reference()).isEqualTo(charts.url() + " web@1.0.0");
            assertThat(client.configMaps().inNamespace("shop").withName("shop-web-marker").get().getData()).containsEntry("marker", "one");
            assertThat(client.apps().deployments().inNamespace("shop").withName("shop-web").get().getSpec().getReplicas()).isEqualTo(2);
            assertThat(first.drifts()).extracting(d -> d.desired().origin()).contains(charts.url() + " web@1.0.0 templates/marker.yaml");
            assertThat(charts.requests()).containsExactly("/charts/index.yaml", "/charts/web-1.0.0.tgz");
            List<AuditRecord> rows = rowsOf(world.lastRunId());
            assertThat(rows).isNotEmpty().allSatisfy(row -> {
                assertThat(row.entry().details().chart()).isEqualTo(charts.url() + " web@1.0.0");
                assertThat(row.entry().details().chartDigest()).isEqualTo(digest);
            });

            charts.clearRequests();
            BindingResult second = world.reconcile(config, "shop");

            assertThat(second.error()).isNull();
            assertThat(second.drifts()).noneMatch(d -> d.drifted());
            assertThat(charts.requests()).isEmpty();
        }
    }

    @Test
    void withoutADigestTheIndexIsAskedEachRunButTheArchiveComesFromTheCache() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("shop/README", "values live here\n").commit("path");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("shop", "1.1.0", ""));

            assertThat(world.reconcile(config, "shop").error()).isNull();
            charts.clearRequests();
            BindingResult second = world.reconcile(config, "shop");

            assertThat(second.error()).isNull();
            assertThat(second.chart().digest()).isEqualTo("sha256:" + ChartRepository.sha256(Files.readAllBytes(two)));
            assertThat(charts.requests()).containsExactly("/charts/index.yaml");
        }
    }

    @Test
    void aWrongDigestIsRefusedWithARowNamingChartVersionAndReasonAndNothingIsApplied() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("shop/README", "x\n").commit("path");
            String wrong = "sha256:" + "0".repeat(64);
            DriftwardenConfig config = world.config(World.sources(repo) + binding("shop", "1.0.0", "digest: " + wrong));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains("web 1.0.0 from " + charts.url(), "index.yaml gives digest sha256:", "not the pinned " + wrong);
            AuditRecord refused = rowsOf(world.lastRunId()).get(0);
            assertThat(refused.entry().event()).isEqualTo(EventType.REFUSED);
            assertThat(refused.entry().error()).contains("remote chart refused", "web 1.0.0");
            assertThat(refused.entry().details().chart()).isEqualTo(charts.url() + " web@1.0.0");
            assertThat(refused.entry().details().chartDigest()).isEqualTo(wrong);
            assertThat(client.apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
            assertThat(world.writes()).isEmpty();
        }
    }

    @Test
    void aSignedChartVerifiesAgainstTheKeyringAndFromTheCacheTheNextTime() throws Exception {
        HelmCharts.Signer signer = HelmCharts.Signer.generate(tmp.resolve("keys"), "Chart Signer <charts@example.com>");
        Path signed = HelmCharts.packageSigned(tmp.resolve("src-1.0.0/web"), tmp.resolve("signed"), "web", "1.0.0", signer);
        try (ChartRepository signedRepo = ChartRepository.start().add("web", "1.0.0", signed); GitRepo repo = world.repo("repo")) {
            repo.write("shop/README", "x\n").commit("path");
            String digest = "sha256:" + ChartRepository.sha256(Files.readAllBytes(signed));
            DriftwardenConfig config = world.config(World.sources(repo) + binding("shop", signedRepo.url(), "1.0.0",
                    "digest: " + digest + "\n      verify: {keyring: " + signer.publicKeyring() + "}"));

            BindingResult first = world.reconcile(config, "shop");

            assertThat(first.error()).isNull();
            assertThat(first.chart().signer()).contains("Chart Signer <charts@example.com>");
            assertThat(signedRepo.requests()).containsExactly("/charts/index.yaml", "/charts/web-1.0.0.tgz", "/charts/web-1.0.0.tgz.prov");
            signedRepo.clearRequests();
            assertThat(world.reconcile(config, "shop").chart().signer()).contains("Chart Signer");
            assertThat(signedRepo.requests()).isEmpty();
        }
    }

    @Test
    void aTamperedArchiveWithTheValidProvenanceOfTheOriginalIsRefused() throws Exception {
        HelmCharts.Signer signer = HelmCharts.Signer.generate(tmp.resolve("keys"), "Chart Signer <charts@example.com>");
        Path signed = HelmCharts.packageSigned(tmp.resolve("src-1.0.0/web"), tmp.resolve("signed"), "web", "1.0.0", signer);
        byte[] validProv = Files.readAllBytes(signed.resolveSibling("web-1.0.0.tgz.prov"));
        Path tampered = HelmCharts.packageChart(HelmCharts.create(tmp.resolve("evil"), "web", "1.0.0", "evil"), tmp.resolve("evil-dist"),
                "web", "1.0.0");
        // the attacker controls the repository: index.yaml names the tampered archive's digest, the old .prov is kept
        try (ChartRepository hostile = ChartRepository.start().add("web", "1.0.0", tampered); GitRepo repo = world.repo("repo");
             KubernetesClient client = world.sandbox.client()) {
            hostile.put("/charts/web-1.0.0.tgz.prov", validProv);
            repo.write("shop/README", "x\n").commit("path");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("shop", hostile.url(), "1.0.0",
                    "verify: {keyring: " + signer.publicKeyring() + "}"));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains("web 1.0.0", "is not the signed sha256:", "changed after signing");
            assertThat(rowsOf(world.lastRunId())).extracting(r -> r.entry().event()).containsExactly(EventType.REFUSED);
            assertThat(client.configMaps().inNamespace("shop").list().getItems()).noneMatch(c -> c.getMetadata().getName().contains("marker"));
        }
    }

    @Test
    void anUnsignedChartIsRefusedWhenTheBindingAsksForVerification() throws Exception {
        HelmCharts.Signer signer = HelmCharts.Signer.generate(tmp.resolve("keys"), "Chart Signer <charts@example.com>");
        try (GitRepo repo = world.repo("repo")) {
            repo.write("shop/README", "x\n").commit("path");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("shop", "1.0.0",
                    "verify: {keyring: " + signer.publicKeyring() + "}"));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains("web 1.0.0", "helm.verify is set and the chart is not signed (no web-1.0.0.tgz.prov)");
            assertThat(rowsOf(world.lastRunId()).get(0).entry().event()).isEqualTo(EventType.REFUSED);
        }
    }

    @Test
    void anUnknownVersionFailsTheBindingNamingTheVersionsTheRepositoryOffers() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("shop/README", "x\n").commit("path");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("shop", "2.0.0", ""));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains("the repository has no version 2.0.0 of web; it offers 1.1.0, 1.0.0 (set helm.version");
            assertThat(rowsOf(world.lastRunId()).get(0).entry().event()).isEqualTo(EventType.FAILED);
        }
    }

    @Test
    void aRepositoryThatDoesNotAnswerFailsItsBindingWithinItsTimeoutAndTheOtherBindingRuns() throws Exception {
        try (FaultProxy hanging = FaultProxy.in(charts.url().replace("/charts", "")); GitRepo repo = world.repo("repo");
             KubernetesClient client = world.sandbox.client()) {
            hanging.rule(request -> new FaultProxy.Hang());
            repo.write("other/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n").commit("two bindings");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("shop", hanging.url() + "/charts", "1.0.0", "timeout: 1s")
                    + World.binding("other", "other"));

            long started = System.nanoTime();
            List<BindingResult> results = world.reconcileInOneRun(config, "shop", "other");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(results.get(0).error()).contains("could not be fetched within helm.timeout 1s");
            assertThat(took).isLessThan(Duration.ofSeconds(8)); // 1 s for the chart; the rest is Git, the sandbox and the other binding
            assertThat(results.get(1).error()).isNull();
            assertThat(client.configMaps().inNamespace("other").withName("fine").get()).isNotNull();
        }
    }

    @Test
    void anIndexNamingAnArchiveOnAnotherHostIsRefusedAndNothingIsFetchedThere() throws Exception {
        try (ChartRepository elsewhere = ChartRepository.start();
             ChartRepository hostile = ChartRepository.start().add("web", "1.0.0", one, elsewhere.url().replace("127.0.0.1", "localhost")
                     + "/web-1.0.0.tgz");
             GitRepo repo = world.repo("repo")) {
            repo.write("shop/README", "x\n").commit("path");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("shop", hostile.url(), "1.0.0", ""));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains("is not on the configured repository http://127.0.0.1:");
            assertThat(elsewhere.requests()).isEmpty();
            assertThat(rowsOf(world.lastRunId()).get(0).entry().event()).isEqualTo(EventType.REFUSED);
        }
    }

    @Test
    void aChartWhoseDependencyNamesAnotherRepositoryFetchesNothingFromItAndFails() throws Exception {
        try (ChartRepository elsewhere = ChartRepository.start(); GitRepo repo = world.repo("repo")) {
            Path src = HelmCharts.create(tmp.resolve("dep"), "web", "1.2.0", "dep");
            // helm package itself refuses a missing dependency: a hostile archive is written by other means
            Path archive = HelmCharts.appendToChartYaml(HelmCharts.packageChart(src, tmp.resolve("dep-dist"), "web", "1.2.0"),
                    "dependencies:\n  - name: redis\n    version: 1.0.0\n    repository: " + elsewhere.url() + "\n");
            charts.add("web", "1.2.0", archive);
            repo.write("shop/README", "x\n").commit("path");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("shop", "1.2.0", ""));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains("dependencies [redis] are not in its charts/ folder and it has no Chart.lock");
            assertThat(rowsOf(world.lastRunId()).get(0).entry().event()).isEqualTo(EventType.REFUSED);
            assertThat(elsewhere.requests()).isEmpty();
        }
    }

    @Test
    void aDependencyIsResolvedAgainstTheChartLockHelmWroteFromTheBindingsRepositoryOnly() throws Exception {
        // given an umbrella chart whose Chart.lock Helm's own dependency update wrote, packaged without its charts/ folder
        Path archive = umbrella(charts, "app", "1.0.0");
        charts.add("app", "1.0.0", archive);
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("shop/README", "x\n").commit("path");
            DriftwardenConfig config = world.config(World.sources(repo) + """
                      - name: shop
                        source: repo
                        path: shop
                        cluster: sandbox
                        namespace: shop
                        mode: enforce
                        helm: {repository: %s, chart: app, version: 1.0.0}
                    """.formatted(charts.url()));
            charts.clearRequests();

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).isNull();
            assertThat(client.configMaps().inNamespace("shop").withName("shop-web-marker").get().getData()).containsEntry("marker", "one");
            assertThat(charts.requests()).containsExactly("/charts/index.yaml", "/charts/app-1.0.0.tgz", "/charts/index.yaml",
                    "/charts/web-1.0.0.tgz");
        }
    }

    @Test
    void aLockOutOfSyncWithChartYamlOrNamingAnotherRepositoryIsRefusedAndNothingIsFetchedThere() throws Exception {
        try (ChartRepository elsewhere = ChartRepository.start().add("web", "1.0.0", one); GitRepo repo = world.repo("repo")) {
            Path tampered = HelmCharts.rewrite(umbrella(charts, "app", "1.0.0"), (name, text) -> name.endsWith("Chart.lock")
                    ? text.replace("version: 1.0.0", "version: 1.1.0") : text);
            charts.add("app", "1.0.0", tampered);
            charts.add("app", "2.0.0", umbrella(elsewhere, "app", "2.0.0"));
            repo.write("shop/README", "x\n").commit("path");
            elsewhere.clearRequests();

            BindingResult outOfSync = world.reconcile(world.config(World.sources(repo) + app("1.0.0")), "shop");
            BindingResult otherRepository = world.reconcile(world.config(World.sources(repo) + app("2.0.0")), "shop");

            assertThat(outOfSync.error()).contains("Chart.lock is out of sync with the dependencies in Chart.yaml");
            assertThat(otherRepository.error()).contains("dependency web 1.0.0 comes from " + elsewhere.url()
                    + "; only the binding's helm.repository " + charts.url() + " is contacted");
            assertThat(elsewhere.requests()).isEmpty();
        }
    }

    @Test
    void aTokenByReferenceIsSentAsBearerAndARefusedOneIsNamedByItsReferenceNeverItsValue() throws Exception {
        String secret = "s3cr3t-" + java.util.UUID.randomUUID();
        charts.requireAuthorization("Bearer " + secret);
        Path good = Files.writeString(tmp.resolve("token"), secret + "\n");
        Path stale = Files.writeString(tmp.resolve("stale-token"), "stale-" + secret + "\n");
        try (GitRepo repo = world.repo("repo")) {
            repo.write("shop/README", "x\n").commit("path");

            BindingResult accepted = world.reconcile(world.config(World.sources(repo) + binding("shop", "1.0.0",
                    "auth: {tokenFrom: file:" + good + "}")), "shop");
            BindingResult refused = world.reconcile(world.config(World.sources(repo) + binding("shop", "1.1.0",
                    "auth: {tokenFrom: file:" + stale + "}")), "shop");

            assertThat(accepted.error()).isNull();
            assertThat(refused.error()).contains("index.yaml answered 401: check the credentials helm.auth refers to (tokenFrom file:" + stale + ")")
                    .doesNotContain(secret);
            assertThat(world.everythingInTheAuditStore()).doesNotContain(secret);
        }
    }

    private String app(String version) {
        return """
                  - name: shop
                    source: repo
                    path: shop
                    cluster: sandbox
                    namespace: shop
                    mode: enforce
                    helm: {repository: %s, chart: app, version: %s}
                """.formatted(charts.url(), version);
    }

    /** An umbrella chart depending on web 1.0.0 from {@code from}: Helm's dependency update writes its lock; charts/ is left out. */
    private Path umbrella(ChartRepository from, String name, String version) throws Exception {
        Path src = HelmCharts.create(tmp.resolve("umbrella-" + version), name, version, "umbrella");
        Files.writeString(src.resolve("Chart.yaml"), Files.readString(src.resolve("Chart.yaml"))
                + "dependencies:\n  - name: web\n    version: \">=1.0.0 <1.1.0\"\n    repository: " + from.url() + "\n");
        new com.marcnuri.helm.Helm(src).dependency().update().call();
        // Helm's dependency update caches the repository's index in the working directory (helm-java sets no cache
        // folder): removed, so a test run leaves the tree as it found it
        try (var files = Files.list(Path.of(""))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("helm-manager-")).toList()) {
                Files.delete(file);
            }
        }
        assertThat(src.resolve("Chart.lock")).exists();
        Path archive = HelmCharts.packageChart(src, tmp.resolve("umbrella-dist-" + version), name, version);
        return HelmCharts.rewrite(archive, (entry, text) -> entry.startsWith(name + "/charts/") ? null : text);
    }

    private String binding(String name, String version, String more) {
        return binding(name, charts.url(), version, more);
    }

    private static String binding(String name, String repository, String version, String more) {
        return """
                  - name: %s
                    source: repo
                    path: %s
                    cluster: sandbox
                    namespace: %s
                    mode: enforce
                    helm:
                      repository: %s
                      chart: web
                      version: %s
                      %s
                """.formatted(name, name, name, repository, version, more);
    }

    private List<AuditRecord> rowsOf(String runId) {
        return world.audit.records(ReportFilter.all()).stream().filter(r -> r.entry().runId().equals(runId)).toList();
    }
}
