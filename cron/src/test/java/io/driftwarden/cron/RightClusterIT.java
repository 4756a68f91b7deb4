package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The right cluster or none, through the CLI in process: a context the kubeconfig does not have stops run and plan
 * with exit 64 and the config's file:line before any request; validate checks it only when asked (--environment).
 */
class RightClusterIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage();

    @Test
    void aMistypedContextStopsRunAndPlanBeforeAnyRequest() throws Exception {
        CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {k: v}\n");
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters:
                  - name: staging
                    kubeconfig: "%s"
                    context: sandbx
                bindings: [{name: shop, source: repo, path: app, cluster: staging, namespace: default, mode: enforce}]
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));

        for (String command : new String[] {"run", "plan"}) {
            InProcess.Outcome refused = InProcess.cli(command, "--config", config.toString());
            assertThat(refused.exit()).as(refused.all()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).contains(config + ":4: cluster 'staging': context 'sandbx' is not in kubeconfig");
        }
        assertThat(stage.sandbox().requests()).isEmpty();
        assertThat(InProcess.cli("validate", "--config", config.toString()).exit()).isZero();
        assertThat(InProcess.cli("validate", "--environment", "--config", config.toString()).exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aClusterThatDoesNotAnswerEndsTheRunWithExitOneAndOneLineNamingClusterVerbObjectAndCause() throws Exception {
        CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {k: v}\n");
        // nothing listens on port 1
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), stage.sandbox().kubeconfig().replace(stage.sandbox().url(), "http://127.0.0.1:1"));
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: gone, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: app, cluster: gone, namespace: shop, mode: enforce}]
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), kubeconfig));

        InProcess.Outcome run = InProcess.cli("run", "--config", config.toString());

        assertThat(run.exit()).as(run.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("error: binding shop: cannot list ConfigMap (v1) in namespace shop: cluster gone did not answer (after "
                + io.driftwarden.jobs.live.Requests.ATTEMPTS + " attempts): ConnectException: Connection refused\n");
    }
}
