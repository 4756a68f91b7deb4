package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftwarden history} through the CLI in process: its columns line up whatever the values' lengths. */
class HistoryIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("shop");

    @Test
    void runsAndRowsAreAlignedInColumnsSizedToTheirValues() throws Exception {
        // given a run of a binding with a long name, writing an object with a long name
        CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings-for-the-checkout-service-in-production}\ndata: {k: v}\n");
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings: [{name: shop-checkout-production, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce}]
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));
        assertThat(InProcess.cli("run", "--config", config.toString()).exit()).isZero();

        // when
        InProcess.Outcome runs = InProcess.cli("history", "--config", config.toString());
        String runId = runs.out().lines().skip(1).findFirst().orElseThrow().split(" ")[0];
        InProcess.Outcome rows = InProcess.cli("history", "--config", config.toString(), "--run", runId);

        // then each column starts where its header does, on every line
        assertAligned(runs.out().lines().filter(line -> !line.startsWith("    ")).toList());
        assertAligned(rows.out().lines().toList());
    }

    /** Every line's fields start at the offsets of the header's (the first line's) words. */
    private static void assertAligned(List<String> lines) {
        assertThat(lines).as("a header and rows").hasSizeGreaterThan(1);
        List<Integer> starts = starts(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            assertThat(starts(line).subList(0, starts.size() - 1)).as("%s%n%s", lines.get(0), line).isEqualTo(starts.subList(0, starts.size() - 1));
        }
    }

    private static List<Integer> starts(String line) {
        List<Integer> starts = new java.util.ArrayList<>();
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) != ' ' && (i == 0 || line.charAt(i - 1) == ' ')) {
                starts.add(i);
            }
        }
        return starts;
    }
}
