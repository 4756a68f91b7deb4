package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three bindings as users have them — plain YAML, a kustomize overlay, a Helm chart — through the CLI in process
 * against the sandbox: the first run creates everything, the second writes nothing, an object deleted from Git is
 * pruned ({@code prune: true}) or reported {@code EXTRA} ({@code prune: false}), a hand-made object is reported
 * {@code UNMANAGED}. Needs kubectl (or kustomize) on PATH for the overlay. What it cannot prove: a real API server's
 * defaulting of what the renderers produce.
 */
class RepositoriesStoryIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("kust", "charts");

    @Test
    void plainKustomizeAndHelmBindingsCreateStayQuietPruneReportExtraAndUnmanaged() throws Exception {
        Path repo = tmp.resolve("repo");
        CliE2E.repo(repo,
                "plain/settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {color: blue}\n",
                "plain/old.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old}\ndata: {k: v}\n",
                "plain/more.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: more}\ndata: {k: v}\n",
                "base/kustomization.yaml", "resources: [web.yaml, extra.yaml]\n",
                "base/web.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {tier: base}\n",
                "base/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {k: v}\n",
                "overlays/prod/kustomization.yaml", "resources: [../../base]\nnamePrefix: prod-\ncommonLabels: {env: prod}\n",
                "chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
                "chart/values.yaml", "color: red\n",
                "chart/templates/settings.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-settings
                data:
                  color: {{ .Values.color | quote }}
                """);
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings:
                  - {name: plain, source: repo, path: plain, cluster: sandbox, namespace: plain, createNamespace: true,
                     mode: enforce, prune: true}
                  - {name: kust, source: repo, path: overlays/prod, cluster: sandbox, namespace: kust, mode: enforce}
                  - {name: charts, source: repo, path: chart, cluster: sandbox, namespace: charts, mode: enforce,
                     helm: {values: {color: green}}}
                """.formatted(tmp.resolve("audit"), repo.toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"))));
        String configArg = config.toString();

        InProcess.Outcome created = InProcess.cli("run", "--config", configArg);
        assertThat(created.exit()).as(created.all()).isZero();
        assertThat(created.out()).contains("ConfigMap/plain/settings", "ConfigMap/kust/prod-web", "ConfigMap/charts/charts-settings");
        try (KubernetesClient client = stage.sandbox().client()) {
            assertThat(client.configMaps().inNamespace("charts").withName("charts-settings").get().getData()).containsEntry("color", "green");
            assertThat(client.configMaps().inNamespace("kust").withName("prod-web").get().getMetadata().getLabels()).containsEntry("env", "prod");
        }

        stage.sandbox().clearRequests();
        InProcess.Outcome quiet = InProcess.cli("run", "--config", configArg);
        assertThat(quiet.exit()).as(quiet.all()).isZero();
        assertThat(stage.sandbox().requests()).noneMatch(r -> r.isWrite());

        try (Git git = Git.open(repo.toFile()); KubernetesClient client = stage.sandbox().client()) {
            Files.delete(repo.resolve("plain/old.yaml"));
            Files.writeString(repo.resolve("base/kustomization.yaml"), "resources: [web.yaml]\n");
            git.rm().addFilepattern("plain/old.yaml").call();
            git.add().addFilepattern(".").call();
            git.commit().setMessage("old and extra leave Git").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
                    .setSign(false).call();
            client.configMaps().inNamespace("charts").resource(new ConfigMapBuilder().withNewMetadata().withName("hand-made")
                    .endMetadata().addToData("k", "v").build()).create();
        }

        InProcess.Outcome after = InProcess.cli("run", "--config", configArg);
        assertThat(after.exit()).as(after.all()).isEqualTo(ExitCodes.DRIFT);
        assertThat(after.out()).containsPattern("ConfigMap/plain/old\\s+EXTRA\\s+DELETED")
                .containsPattern("ConfigMap/kust/prod-extra\\s+EXTRA\\s+SKIPPED\\s+no longer in Git; left in place \\(prune is off")
                .contains("UNMANAGED  ConfigMap/charts/hand-made");
        try (KubernetesClient client = stage.sandbox().client()) {
            assertThat(client.configMaps().inNamespace("plain").withName("old").get()).isNull();
            assertThat(client.configMaps().inNamespace("kust").withName("prod-extra").get()).isNotNull();
        }
    }
}
