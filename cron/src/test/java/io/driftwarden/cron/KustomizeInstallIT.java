package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's first install bug: {@code kubectl apply -k} of an overlay on a fresh cluster (the sandbox with no
 * namespace but its defaults) failed with {@code namespaces "guestbook" not found} for the Role. With the generated RBAC
 * the Namespace comes first, and every object of the overlay is created. Real kubectl 1.32 (the test fails without it).
 * What it cannot prove: admission (PodSecurity) and the CronJob or Deployment controllers of a real cluster.
 */
class KustomizeInstallIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage();

    @ParameterizedTest
    @ValueSource(strings = {"cronjob", "daemon"})
    void anOverlayAppliesOnAFreshCluster(String overlay) throws Exception {
        // given: a fresh cluster
        Path kubeconfig = stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"));
        try (KubernetesClient client = stage.sandbox().client()) {
            assertThat(client.namespaces().withName("guestbook").get()).isNull();
        }

        // when
        String applied = kubectl(kubeconfig, "apply", "-k", DeployManifestTest.DEPLOY.resolve("overlays").resolve(overlay).toString());

        // then
        assertThat(applied).contains("namespace/guestbook created", "role.rbac.authorization.k8s.io/driftwarden created",
                "rolebinding.rbac.authorization.k8s.io/driftwarden created", "clusterrole.rbac.authorization.k8s.io/driftwarden created");
        try (KubernetesClient client = stage.sandbox().client()) {
            assertThat(client.rbac().roles().inNamespace("guestbook").withName("driftwarden").get()).isNotNull();
            assertThat(client.serviceAccounts().inNamespace("driftwarden").withName("driftwarden").get()).isNotNull();
            assertThat(overlay.equals("cronjob") ? client.batch().v1().cronjobs().inNamespace("driftwarden").withName("driftwarden").get()
                    : client.apps().deployments().inNamespace("driftwarden").withName("driftwarden").get()).isNotNull();
        }
    }

    private String kubectl(Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir",
                tmp.resolve("kube-cache").toString()));
        command.addAll(List.of(args));
        Path output = tmp.resolve("kubectl.out");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("kubectl is not on PATH: this test applies the overlays with the real kubectl (1.32 on our "
                    + "machines); install it and run the tests again", e);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args) + " finished").isTrue();
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("kubectl " + String.join(" ", args) + "\n" + printed).isZero();
        return printed;
    }
}
