package io.driftwarden.jobs.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.support.DistributionRegistry;
import io.driftwarden.jobs.support.FaultProxy;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.HelmCharts;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bindings that render a chart from a real OCI registry (the CNCF distribution registry, Debian's {@code docker-registry},
 * on loopback), pushed there by Helm's own {@code push} — the chart layer and, for a signed chart, the provenance layer.
 * A counting proxy ({@link FaultProxy}) stands between driftwarden and the registry, so "no request" is measured. What
 * this cannot prove: the token exchange of a registry with bearer auth (this one runs without auth) and TLS.
 */
class OciChartIT {

    private static final Pattern DIGEST = Pattern.compile("Digest: (sha256:[0-9a-f]{64})");

    @TempDir
    Path tmp;

    private World world;
    private DistributionRegistry registry;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp.resolve("world"));
        world.sandbox.createNamespaces("shop").clearRequests();
        registry = DistributionRegistry.start(tmp.resolve("registry"));
        proxy = FaultProxy.in(registry.url());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        registry.close();
        world.close();
    }

    @Test
    void aChartPushedByHelmRendersPinnedByItsManifestDigestAndTheSecondRunAsksTheRegistryNothing() throws Exception {
        String digest = push(HelmCharts.packageChart(HelmCharts.create(tmp.resolve("src"), "web", "1.0.0", "oci"), tmp.resolve("dist"),
                "web", "1.0.0"));
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("shop/prod.yaml", "replicaCount: 3\n").commit("values");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("1.0.0", "digest: " + digest
                    + "\n      valuesFiles: [prod.yaml]"));

            BindingResult first = world.reconcile(config, "shop");

            assertThat(first.error()).isNull();
            assertThat(first.chart().reference()).isEqualTo("oci://" + proxyHost() + "/charts/web:1.0.0");
            assertThat(first.chart().digest()).isEqualTo(digest);
            assertThat(client.configMaps().inNamespace("shop").withName("shop-web-marker").get().getData()).containsEntry("marker", "oci");
            assertThat(client.apps().deployments().inNamespace("shop").withName("shop-web").get().getSpec().getReplicas()).isEqualTo(3);
            assertThat(proxy.received()).extracting(FaultProxy.Received::path)
                    .containsExactly("/v2/charts/web/manifests/1.0.0", "/v2/charts/web/blobs/" + layerOf(proxy));
            assertThat(world.audit.records(ReportFilter.all())).isNotEmpty()
                    .allSatisfy(row -> assertThat(row.entry().details().chartDigest()).isEqualTo(digest));

            int before = proxy.received().size();
            BindingResult second = world.reconcile(config, "shop");

            assertThat(second.error()).isNull();
            assertThat(second.drifts()).noneMatch(d -> d.drifted());
            assertThat(proxy.received()).hasSize(before);
        }
    }

    @Test
    void aWrongManifestDigestIsRefusedAndNothingIsApplied() throws Exception {
        push(HelmCharts.packageChart(HelmCharts.create(tmp.resolve("src"), "web", "1.0.0", "oci"), tmp.resolve("dist"), "web", "1.0.0"));
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("shop/README", "x\n").commit("path");
            String wrong = "sha256:" + "1".repeat(64);
            DriftwardenConfig config = world.config(World.sources(repo) + binding("1.0.0", "digest: " + wrong));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains("web 1.0.0 from oci://", "the manifest's digest is sha256:", "not the pinned " + wrong);
            assertThat(world.events(world.lastRunId())).containsExactly("REFUSED ");
            assertThat(client.apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
        }
    }

    @Test
    void anUnknownVersionFailsNamingTheTagsTheRegistryOffers() throws Exception {
        push(HelmCharts.packageChart(HelmCharts.create(tmp.resolve("a"), "web", "1.0.0", "a"), tmp.resolve("da"), "web", "1.0.0"));
        push(HelmCharts.packageChart(HelmCharts.create(tmp.resolve("b"), "web", "1.1.0", "b"), tmp.resolve("db"), "web", "1.1.0"));
        try (GitRepo repo = world.repo("repo")) {
            repo.write("shop/README", "x\n").commit("path");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("3.0.0", ""));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).contains("the registry has no version 3.0.0 of charts/web; it offers 1.1.0, 1.0.0");
            assertThat(world.events(world.lastRunId())).containsExactly("FAILED ");
        }
    }

    @Test
    void aSignedChartVerifiesFromItsProvenanceLayerAndAnUnsignedOneIsRefused() throws Exception {
        HelmCharts.Signer signer = HelmCharts.Signer.generate(tmp.resolve("keys"), "Chart Signer <charts@example.com>");
        String signed = push(HelmCharts.packageSigned(HelmCharts.create(tmp.resolve("s"), "web", "1.0.0", "signed"), tmp.resolve("ds"),
                "web", "1.0.0", signer));
        push(HelmCharts.packageChart(HelmCharts.create(tmp.resolve("u"), "web", "1.1.0", "unsigned"), tmp.resolve("du"), "web", "1.1.0"));
        try (GitRepo repo = world.repo("repo")) {
            repo.write("shop/README", "x\n").commit("path");
            String verify = "\n      verify: {keyring: " + signer.publicKeyring() + "}";

            BindingResult good = world.reconcile(world.config(World.sources(repo) + binding("1.0.0", "digest: " + signed + verify)), "shop");
            BindingResult unsigned = world.reconcile(world.config(World.sources(repo) + binding("1.1.0", verify.strip())), "shop");

            assertThat(good.error()).isNull();
            assertThat(good.chart().signer()).contains("Chart Signer <charts@example.com>");
            assertThat(unsigned.error()).contains("web 1.1.0", "helm.verify is set and the chart is not signed",
                    RemoteCharts.HELM_PROV_LAYER);
            assertThat(world.audit.records(ReportFilter.all()).stream().filter(r -> r.entry().runId().equals(world.lastRunId())))
                    .extracting(r -> r.entry().event()).containsExactly(EventType.REFUSED);
        }
    }

    @Test
    void aRegistryAskingForBasicAuthGetsTheCredentialsByReferenceAfterItsChallenge() throws Exception {
        String digest = push(HelmCharts.packageChart(HelmCharts.create(tmp.resolve("src"), "web", "1.0.0", "auth"), tmp.resolve("dist"),
                "web", "1.0.0"));
        proxy.close();
        registry.close();
        String password = "pw-" + java.util.UUID.randomUUID();
        registry = DistributionRegistry.start(tmp.resolve("registry"), "puller", password); // same storage, now with htpasswd
        proxy = FaultProxy.in(registry.url());
        java.nio.file.Path user = java.nio.file.Files.writeString(tmp.resolve("user"), "puller");
        java.nio.file.Path secret = java.nio.file.Files.writeString(tmp.resolve("password"), password);
        try (GitRepo repo = world.repo("repo")) {
            repo.write("shop/README", "x\n").commit("path");

            BindingResult anonymous = world.reconcile(world.config(World.sources(repo) + binding("1.0.0", "")), "shop");
            BindingResult withCredentials = world.reconcile(world.config(World.sources(repo) + binding("1.0.0", "digest: " + digest
                    + "\n      auth: {usernameFrom: file:" + user + ", passwordFrom: file:" + secret + "}")), "shop");

            assertThat(anonymous.error()).contains("manifest 1.0.0 answered 401: set helm.auth");
            assertThat(withCredentials.error()).isNull();
            assertThat(withCredentials.chart().digest()).isEqualTo(digest);
            assertThat(world.everythingInTheAuditStore()).doesNotContain(password);
        }
    }

    /** Pushes with Helm's own {@code push} (plain HTTP to the loopback registry) and returns the manifest digest it printed. */
    private String push(Path archive) {
        String output = Helm.push().withChart(archive).withRemote(URI.create("oci://" + registry.host() + "/charts")).plainHttp().call();
        Matcher digest = DIGEST.matcher(output);
        assertThat(digest.find()).as("helm push printed a digest: %s", output).isTrue();
        return digest.group(1);
    }

    private String proxyHost() {
        return proxy.url().substring("http://".length());
    }

    private static String layerOf(FaultProxy proxy) {
        return proxy.received().get(1).path().substring("/v2/charts/web/blobs/".length());
    }

    private String binding(String version, String more) {
        return """
                  - name: shop
                    source: repo
                    path: shop
                    cluster: sandbox
                    namespace: shop
                    mode: enforce
                    helm:
                      repository: oci://%s/charts
                      plainHttp: true
                      chart: web
                      version: %s
                      %s
                """.formatted(proxyHost(), version, more);
    }
}
