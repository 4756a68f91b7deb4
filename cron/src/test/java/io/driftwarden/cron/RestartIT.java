package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --restart RUN_ID} through the CLI in process, with the job repository in the audit store (an H2 file):
 * a run whose binding failed exits 1; once Git is fixed, the restart runs only that binding and exits 0.
 */
class RestartIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("good", "broken");

    @Test
    void aFailedRunIsRestartedForItsFailedBindingOnly() throws Exception {
        Path repo = tmp.resolve("repo");
        CliE2E.repo(repo, "good/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\ndata: {k: v}\n",
                "broken/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fixed}\ndata: {k: [unclosed\n");
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings:
                  - {name: good, source: repo, path: good, cluster: sandbox, namespace: good, mode: enforce}
                  - {name: broken, source: repo, path: broken, cluster: sandbox, namespace: broken, mode: enforce}
                """.formatted(tmp.resolve("audit"), repo.toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));

        InProcess.Outcome failed = InProcess.cli("run", "--config", config.toString());
        assertThat(failed.exit()).as(failed.all()).isEqualTo(ExitCodes.FAILED);
        Matcher runId = Pattern.compile("^run (\\S+)", Pattern.MULTILINE).matcher(failed.out());
        assertThat(runId.find()).isTrue();

        Files.writeString(repo.resolve("broken/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fixed}\ndata: {k: v}\n");
        try (Git git = Git.open(repo.toFile())) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("fixed").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").setSign(false).call();
        }
        stage.sandbox().clearRequests();
        InProcess.Outcome restarted = InProcess.cli("run", "--restart", runId.group(1), "--config", config.toString());

        assertThat(restarted.exit()).as(restarted.all()).isZero();
        assertThat(restarted.out()).contains("binding broken", "ConfigMap/broken/fixed").doesNotContain("binding good");
        assertThat(stage.sandbox().requests()).noneMatch(r -> r.path().contains("/namespaces/good/"));
        assertThat(InProcess.cli("history", "--config", config.toString()).out()).contains(runId.group(1) + ".restart-1");
        assertThat(InProcess.cli("run", "--restart", runId.group(1), "--config", config.toString()).exit()).isEqualTo(ExitCodes.USAGE);
    }
}
