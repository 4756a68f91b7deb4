package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What {@code run} prints for a binding that failed before it had a commit, through the CLI in process. */
class RunOutputIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("shop");

    @Test
    void aBindingWhoseGitCannotBeReadSaysItsCommitIsUnknownAndPrintsNoEmptyPointer() throws Exception {
        // given a source that is not there
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce}]
                """.formatted(tmp.resolve("audit"), tmp.resolve("no-such-repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));

        // when
        InProcess.Outcome run = InProcess.cli("run", "--config", config.toString());

        // then
        assertThat(run.exit()).as(run.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("binding shop -> sandbox/shop at (commit unknown: Git could not be read)\n  FAILED: binding shop: ")
                .doesNotContain(" at ?", "(details on stderr)");
        assertThat(run.err()).contains("error: binding shop: cannot fetch ");
    }
}
