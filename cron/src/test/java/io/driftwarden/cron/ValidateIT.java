package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftwarden validate} through the CLI in process: its verdict is one, and matches its exit code.
 */
class ValidateIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage();

    @Test
    void aBindingThatDoesNotRenderIsNotReportedValid() throws Exception {
        // given a config that parses and a binding whose manifest is broken
        CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm\n");
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce}]
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));

        // when
        InProcess.Outcome validate = InProcess.cli("validate", "--config", config.toString());

        // then one verdict, the exit code's
        assertThat(validate.exit()).as(validate.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(validate.all()).doesNotContain("is valid");
        assertThat(validate.err()).contains("error: binding shop: manifests do not render", config + ": not valid: 1 of 1 bindings do not render");
    }

    @Test
    void aConfigWhoseBindingsRenderIsValid() throws Exception {
        CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {k: v}\n");
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce}]
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));

        InProcess.Outcome validate = InProcess.cli("validate", "--config", config.toString());

        assertThat(validate.exit()).as(validate.all()).isZero();
        assertThat(validate.out()).contains("binding shop: 1 objects at ", config + ": valid (1 bindings render)");
    }

    @Test
    void anUnsetWebhookSecretFailsValidateEnvironmentAndStopsTheDaemonAtStart() throws Exception {
        // given a config whose webhook secret variable is unset
        CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {k: v}\n");
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce}]
                webhook: {githubSecretFrom: "env:DRIFTWARDEN_TEST_SURELY_UNSET_VARIABLE"}
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));
        String problem = config + ":5: webhook.githubSecretFrom: environment variable DRIFTWARDEN_TEST_SURELY_UNSET_VARIABLE is not set";

        // when validate checks the environment, then it fails with the file and line
        InProcess.Outcome validate = InProcess.cli("validate", "--environment", "--config", config.toString());
        assertThat(validate.exit()).as(validate.all()).isEqualTo(ExitCodes.USAGE);
        assertThat(validate.err()).contains(problem);

        // when the daemon starts, then it stops at once with the same
        Process daemon = Cli.start(tmp, "schedule", "--port", "0", "--config", config.toString());
        try {
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("the daemon stops at start").isTrue();
            assertThat(daemon.exitValue()).isEqualTo(ExitCodes.USAGE);
            assertThat(Files.readString(tmp.resolve(".err"))).contains(problem);
        } finally {
            daemon.destroyForcibly();
        }
    }
}
