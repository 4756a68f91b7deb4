package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Try it with kubectl" story, with the real kubectl and the CLI in process: hand changes made with
 * kubectl are found by {@code plan} (exit 2, each named), corrected by {@code run}, and {@code plan} is clean again;
 * what another controller wrote with its own field manager is left alone. What it cannot prove: how a real API server
 * (defaults, admission, controllers) would have answered the same kubectl commands.
 */
class KubectlStoryIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage();

    private Path kubeconfig;

    @BeforeEach
    void writeKubeconfig() throws Exception {
        kubeconfig = stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"));
    }

    @Test
    void planNamesEachKubectlHandChangeRunCorrectsThemAndAControllersAnnotationStays() throws Exception {
        CliE2E.repo(tmp.resolve("repo"),
                "shop/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
                "shop/settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n",
                "shop/web.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                        env:
                        - {name: MODE, value: prod}
                """);
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: shop, cluster: sandbox, namespace: shop, mode: enforce}]
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), kubeconfig));
        assertThat(InProcess.cli("run", "--config", config.toString()).exit()).isZero();

        kubectl("-n", "shop", "scale", "deployment/web", "--replicas=5");
        kubectl("-n", "shop", "set", "image", "deployment/web", "web=nginx:hacked");
        kubectl("-n", "shop", "set", "env", "deployment/web", "DEBUG=1");
        kubectl("-n", "shop", "label", "configmap/settings", "oncall=me");
        kubectl("-n", "shop", "annotate", "deployment/web", "example.com/rollout=42", "--field-manager=my-controller");

        InProcess.Outcome plan = InProcess.cli("plan", "--diff", "paths", "--config", config.toString());
        assertThat(plan.exit()).as(plan.all()).isEqualTo(ExitCodes.DRIFT);
        assertThat(plan.out()).contains(
                "spec.replicas: 5 -> 2 (differs from Git, changed by kubectl at ",
                "image: \"nginx:hacked\" -> \"nginx:1.27\" (differs from Git, changed by kubectl-set at ",
                "DEBUG",
                "added by kubectl-set at ",
                "metadata.labels.oncall",
                "added by kubectl-label at ")
                .doesNotContain("example.com/rollout");

        InProcess.Outcome run = InProcess.cli("run", "--config", config.toString());
        assertThat(run.exit()).as(run.all()).isZero();
        InProcess.Outcome clean = InProcess.cli("plan", "--config", config.toString());
        assertThat(clean.exit()).as(clean.all()).isZero();

        assertThat(kubectl("-n", "shop", "get", "deployment/web", "-o",
                "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[*].name} "
                        + "{.metadata.annotations.example\\.com/rollout}"))
                .isEqualTo("2 nginx:1.27 MODE 42");
        assertThat(kubectl("-n", "shop", "get", "configmap/settings", "-o", "jsonpath={.metadata.labels.oncall}")).isEmpty();
    }

    /** The real kubectl (on PATH; the test fails, not skips, without it), exit 0 required; returns its output. */
    private String kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir",
                tmp.resolve("kube-cache").toString()));
        command.addAll(List.of(args));
        Path output = tmp.resolve("kubectl.out");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("kubectl is not on PATH: this story drives the sandbox with the real kubectl (1.32 on our "
                    + "machines); install it and run the tests again", e);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args) + " finished").isTrue();
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("kubectl " + String.join(" ", args) + "\n" + printed).isZero();
        return printed;
    }
}
