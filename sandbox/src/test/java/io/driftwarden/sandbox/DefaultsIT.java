package io.driftwarden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the sandbox writes its {@link Defaults}: into what a create, a patch (dry-run included) and a server-side apply
 * store, owned as a real server's field manager owns them — by the manager of a create or update (the defaults are in
 * the object it sends, once decoded), by no one after an apply that did not send them. What it cannot prove: that a
 * real server's ownership of defaults after an apply is the same (structured-merge-diff's, checked by
 * ../shared/tools/smd-oracle, not here).
 */
class DefaultsIT {

    @Test
    void aCreatesManagerOwnsTheDefaultsAsKubectlCreateDoesOnARealServer() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            Deployment created = createAsKubectl(sandbox);

            assertThat(created.getSpec().getTemplate().getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
            assertThat(created.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
            assertThat(fieldsOf(created, "kubectl-create")).contains("\"f:dnsPolicy\"", "\"f:revisionHistoryLimit\"", "\"f:imagePullPolicy\"");
        }
    }

    @Test
    void anApplierDoesNotOwnTheDefaultsTheServerAddsToWhatItApplied() {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            Deployment applied = client.apps().deployments().inNamespace("shop").resource(deployment())
                    .fieldManager("driftwarden").forceConflicts().serverSideApply();

            assertThat(applied.getSpec().getTemplate().getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
            assertThat(fieldsOf(applied, "driftwarden")).contains("\"f:image\"").doesNotContain("f:dnsPolicy", "f:revisionHistoryLimit");
        }
    }

    @Test
    void aDryRunOfAPatchRemovingADefaultAnswersWithTheDefaultPutBackAndStoresNothing() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0).createNamespaces("shop"); KubernetesClient client = sandbox.client()) {
            var web = client.apps().deployments().inNamespace("shop").withName("web");
            String version = createAsKubectl(sandbox).getMetadata().getResourceVersion();

            Deployment answer = client.apps().deployments().inNamespace("shop").withName("web").patch(new PatchContext.Builder()
                    .withPatchType(PatchType.JSON).withDryRun(List.of("All")).build(), """
                    [{"op": "test", "path": "/spec/template/spec/dnsPolicy", "value": "ClusterFirst"},
                     {"op": "remove", "path": "/spec/template/spec/dnsPolicy"},
                     {"op": "remove", "path": "/spec/template/spec/containers/0/terminationMessagePath"}]""");

            assertThat(answer.getSpec().getTemplate().getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
            assertThat(answer.getSpec().getTemplate().getSpec().getContainers().get(0).getTerminationMessagePath()).isEqualTo("/dev/termination-log");
            assertThat(web.get().getMetadata().getResourceVersion()).isEqualTo(version);
        }
    }

    /** {@code kubectl create -f}: a POST with {@code fieldManager=kubectl-create}. */
    private static Deployment createAsKubectl(Sandbox sandbox) throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(sandbox.url() + "/apis/apps/v1/namespaces/shop/deployments?fieldManager=kubectl-create"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Serialization.asJson(deployment()))).build();
        HttpResponse<String> created = HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Serialization.unmarshal(created.body(), Deployment.class);
    }

    private static String fieldsOf(Deployment deployment, String manager) {
        return deployment.getMetadata().getManagedFields().stream().filter(e -> e.getManager().equals(manager))
                .map(ManagedFieldsEntry::getFieldsV1).map(Serialization::asJson).findFirst().orElse("");
    }

    private static Deployment deployment() {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.25").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }
}
