package io.driftwarden.jobs.apply;

import static io.driftwarden.jobs.support.World.binding;
import static io.driftwarden.jobs.support.World.sources;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.ReportFilter;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.World;
import io.driftwarden.sandbox.SandboxRequest;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rule-2 drift (live only, owned by a drift manager) confirmed by the server: the guarded removal patch is sent as a
 * dry-run, and a path the server puts back with its live value (a default) is no drift. Against the sandbox with its
 * {@code Defaults}; what it cannot prove: that a real API server of the version in use defaults the same fields to the
 * same values (the defaults are Kubernetes' SetDefaults_ functions as read, not a server's answer).
 */
class LiveOnlyConfirmationIT {

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    ports: [{containerPort: 8080}]
            """;

    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void startWorld() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("shop").clearRequests();
    }

    @AfterEach
    void stopWorld() throws Exception {
        world.close();
    }

    @Test
    void reportsNoDriftWhenTheServerPutsBackTheDefaultsKubectlCreateOwns() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            // given an object made with kubectl create (its manager owns every default) and the same object in Git
            repo.write("app/web.yaml", WEB).commit("adopt web");
            String version = kubectlCreate(WEB);
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app"));
            int rows = world.audit.records(ReportFilter.all()).size();
            world.sandbox.clearRequests();

            // when
            BindingResult result = world.reconcile(config, "shop");

            // then one dry-run of the removal patch finds the server puts each default back: no drift, no row, no write
            assertThat(result.error()).isNull();
            assertThat(result.driftCount()).isZero();
            assertThat(result.dryRuns()).isEqualTo(1);
            assertThat(world.writes()).extracting(SandboxRequest::path).singleElement().asString().contains("dryRun=All");
            assertThat(world.writes().get(0).contentType()).isEqualTo("application/json-patch+json");
            assertThat(world.audit.records(ReportFilter.all())).hasSize(rows);
            assertThat(world.sandbox.client().apps().deployments().inNamespace("shop").withName("web").get().getMetadata()
                    .getResourceVersion()).isEqualTo(version);
        }
    }

    @Test
    void aValueChangedByHandOnADefaultedFieldIsDriftAndOnlyItIsCorrected() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("app/web.yaml", WEB).commit("adopt web");
            kubectlCreate(WEB);
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app"));
            // given kubectl-edit changed a defaulted field Git does not set, and added an env var
            world.sandbox.client().apps().deployments().inNamespace("shop").withName("web").patch(new PatchContext.Builder()
                    .withPatchType(PatchType.JSON).withFieldManager("kubectl-edit").build(), """
                    [{"op": "replace", "path": "/spec/template/spec/dnsPolicy", "value": "Default"},
                     {"op": "add", "path": "/spec/template/spec/containers/0/env", "value": [{"name": "DEBUG", "value": "1"}]}]""");

            // when
            BindingResult result = world.reconcile(config, "shop");

            // then exactly the two hand changes are drift (not kubectl-create's defaults), and are removed
            assertThat(result.drifts().get(0).details()).extracting(d -> d.path().render() + " " + d.because())
                    .containsExactlyInAnyOrder("spec.template.spec.dnsPolicy added by kubectl-edit",
                            // the patch added the whole list, so kubectl-edit owns the list itself (structured-merge-diff)
                            "spec.template.spec.containers[name=web].env added by kubectl-edit");
            assertThat(result.drifts().get(0).maskedDiff()).doesNotContain("revisionHistoryLimit", "terminationMessagePath");
            assertThat(result.correctedCount()).isEqualTo(1);
            var web = world.sandbox.client().apps().deployments().inNamespace("shop").withName("web").get();
            assertThat(web.getSpec().getTemplate().getSpec().getDnsPolicy()).as("the server's default again").isEqualTo("ClusterFirst");
            assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).isEmpty();
            assertThat(web.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
            assertThat(world.reconcile(config, "shop").driftCount()).isZero();
        }
    }

    @Test
    void aDefaultGitStatedAndDroppedIsNoDriftButANonDefaultValueGitDroppedIs() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("app/web.yaml", WEB.replace("  replicas: 2\n", "  replicas: 2\n  revisionHistoryLimit: 10\n  minReadySeconds: 5\n"))
                    .commit("explicit");
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app"));
            assertThat(world.reconcile(config, "shop").error()).isNull();
            repo.write("app/web.yaml", WEB).commit("back to the defaults");

            BindingResult result = world.reconcile(config, "shop");

            // revisionHistoryLimit: 10 is what the server puts back; minReadySeconds: 5 is not (it has no default)
            assertThat(result.drifts().get(0).details()).extracting(d -> d.path().render() + " " + d.because())
                    .containsExactly("spec.minReadySeconds no longer in Git");
            var web = world.sandbox.client().apps().deployments().inNamespace("shop").withName("web").get();
            assertThat(web.getSpec().getMinReadySeconds()).isNull();
            assertThat(web.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
            assertThat(world.reconcile(config, "shop").driftCount()).isZero();
        }
    }

    @Test
    void auditModeConfirmsWithTheSameDryRunAndWritesNothing() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("app/web.yaml", WEB).commit("adopt web");
            kubectlCreate(WEB);
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app").replace("mode: enforce", "mode: audit"));
            world.sandbox.clearRequests();

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.driftCount()).isZero();
            assertThat(world.writes()).allSatisfy(w -> assertThat(w.path()).contains("dryRun=All"));
        }
    }

    /** {@code kubectl create -f} of {@code yaml} with driftwarden's two labels (how an adopted object is marked): a POST as kubectl-create. */
    private String kubectlCreate(String yaml) throws Exception {
        ObjectNode object = (ObjectNode) Serialization.jsonMapper().valueToTree(Serialization.unmarshal(yaml, java.util.Map.class));
        ObjectNode labels = (ObjectNode) object.path("metadata").path("labels");
        labels.put(Renderer.MANAGED_BY, "driftwarden").put(Renderer.BINDING_LABEL, "shop");
        HttpRequest post = HttpRequest.newBuilder(URI.create(world.sandbox.url() + "/apis/apps/v1/namespaces/shop/deployments?fieldManager=kubectl-create"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Serialization.asJson(object))).build();
        HttpResponse<String> created = HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Serialization.jsonMapper().readTree(created.body()).at("/metadata/resourceVersion").asString();
    }
}
