package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.yaml.YamlDocument;
import io.driftwarden.config.yaml.YamlDocuments;
import io.driftwarden.cron.schedule.QuartzCron;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The deployment we document, rendered by the real {@code kubectl kustomize} (1.32 on our machines; the test fails,
 * saying so, without it): both overlays parse, carry a config driftwarden accepts, run the commands the README
 * documents as a non-root user on a read-only root file system, and grant no more than the example binding needs.
 * What this cannot prove: that a real API server admits them (PodSecurity, quotas).
 */
class DeployManifestTest {

    /** The kustomize deployment, from the cron module's folder (where Maven runs the tests). */
    static final Path DEPLOY = Path.of("..", "deploy", "kustomize");

    @TempDir
    Path tmp;

    @Test
    void theCronJobOverlayRunsTheDocumentedCommandOnceAtATimeAsNonRootOnAReadOnlyRoot() throws Exception {
        List<JsonNode> objects = render("cronjob");
        JsonNode cronJob = only(objects, "CronJob");

        assertThat(cronJob.at("/spec/concurrencyPolicy").asString()).isEqualTo("Forbid");
        assertThat(cronJob.at("/spec/successfulJobsHistoryLimit").asInt()).isPositive();
        assertThat(cronJob.at("/spec/failedJobsHistoryLimit").asInt()).isPositive();
        JsonNode pod = cronJob.at("/spec/jobTemplate/spec/template/spec");
        assertThat(pod.at("/containers/0/args").toString())
                .isEqualTo("[\"run\",\"--config\",\"/config/driftwarden.yaml\",\"--trigger\",\"cronjob\"]");
        assertLockedDown(pod);
        assertThat(pod.at("/containers/0/env/0/value").asString()).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        DriftwardenConfig config = assertConfigValidates(objects, pod);
        assertThat(config.bindings()).as("when it runs is the CronJob's schedule alone").allSatisfy(b -> assertThat(b.schedule()).isNull());
        assertGeneratedRbac("cronjob", objects);
    }

    @Test
    void theDaemonOverlayRunsScheduleWithProbesAndAConfiguredWebhookBehindItsService() throws Exception {
        List<JsonNode> objects = render("daemon");
        JsonNode deployment = only(objects, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");

        assertThat(pod.at("/containers/0/args").toString()).isEqualTo("[\"schedule\",\"--config\",\"/config/driftwarden.yaml\",\"--port\",\"8080\"]");
        assertThat(pod.at("/containers/0/livenessProbe/httpGet/path").asString()).isEqualTo("/healthz");
        assertThat(pod.at("/containers/0/readinessProbe/httpGet/path").asString()).isEqualTo("/readyz");
        assertThat(pod.at("/terminationGracePeriodSeconds").asInt()).as("time for running bindings to finish").isGreaterThanOrEqualTo(300);
        assertThat(only(objects, "Service").at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertLockedDown(pod);
        DriftwardenConfig config = assertConfigValidates(objects, pod);
        assertThat(config.bindings()).allSatisfy(b -> assertThat(b.schedule()).isNotNull());
        assertThat(config.webhook().githubSecret().target()).as("the webhook the Service exposes, its secret from a mounted Secret")
                .startsWith("/secrets/webhook/");
        assertThat(pod.path("volumes").valueStream().filter(v -> v.path("name").asString().equals("webhook")).findFirst().orElseThrow()
                .at("/secret/secretName").asString()).isEqualTo("driftwarden-webhook");
        assertGeneratedRbac("daemon", objects);
    }

    private static void assertLockedDown(JsonNode pod) {
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/serviceAccountName").asString()).isEqualTo("driftwarden");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.at("/securityContext/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(container.at("/resources/requests/memory").asString()).isNotEmpty();
        // the only writable places: the Git cache and temp files, both emptyDir
        List<String> writable = container.path("volumeMounts").valueStream().filter(m -> !m.path("readOnly").asBoolean())
                .map(m -> m.path("name").asString() + ":" + m.path("mountPath").asString()).toList();
        assertThat(writable).containsExactlyInAnyOrder("work:/work", "tmp:/tmp");
        assertThat(pod.path("volumes").valueStream().filter(v -> v.has("emptyDir")).map(v -> v.path("name").asString()))
                .containsExactlyInAnyOrder("work", "tmp");
    }

    /** The generated ConfigMap the pod mounts holds a config driftwarden (and Quartz) accepts, reading its secrets from the mounts. */
    private static DriftwardenConfig assertConfigValidates(List<JsonNode> objects, JsonNode pod) {
        String mounted = pod.path("volumes").valueStream().filter(v -> v.path("name").asString().equals("config"))
                .findFirst().orElseThrow().at("/configMap/name").asString();
        JsonNode configMap = objects.stream().filter(o -> o.path("kind").asString().equals("ConfigMap")
                && o.at("/metadata/name").asString().equals(mounted)).findFirst().orElseThrow();
        DriftwardenConfig config = ConfigLoader.parse(configMap.at("/data/driftwarden.yaml").asString(), Path.of("driftwarden.yaml"),
                QuartzCron.CHECK);
        assertThat(config.clusters()).singleElement().satisfies(c -> assertThat(c.inCluster()).isTrue());
        assertThat(config.audit().url()).startsWith("jdbc:postgresql:");
        assertThat(config.audit().password().target()).startsWith("/secrets/audit-db/");
        assertThat(config.source("platform").auth().token().target()).startsWith("/secrets/git/");
        return config;
    }

    /**
     * The RBAC the base ships is exactly what {@code driftwarden rbac --config} prints for the overlay's config (its
     * source, {@code apps/guestbook}, holding the files of {@code examples/guestbook} in a Git repository of the test's):
     * a change of the config, of the example or of the RBAC generator fails here until the file is regenerated. And it is
     * least privilege: no wildcard, no cluster-admin, bound to driftwarden's service account; the Namespace the Role lives
     * in comes first, so that the Role applies on a fresh cluster.
     */
    private void assertGeneratedRbac(String overlay, List<JsonNode> objects) throws Exception {
        String shipped = Files.readString(DEPLOY.resolve("base/rbac.yaml"), StandardCharsets.UTF_8).replaceFirst("\\A(#[^\\n]*\\n)+", "");
        String generated = rbac(DEPLOY.resolve("overlays").resolve(overlay).resolve("driftwarden.yaml"));
        if (!generated.equals(shipped)) {
            Path regenerated = Files.writeString(Path.of("target", "generated-rbac-" + overlay + ".yaml"), generated);
            assertThat(shipped).as("deploy/kustomize/base/rbac.yaml is not what `driftwarden rbac` prints for overlays/" + overlay
                    + "/driftwarden.yaml; the output is in cron/" + regenerated + " (keep the file's header comment)").isEqualTo(generated);
        }
        List<JsonNode> roles = objects.stream().filter(o -> o.path("kind").asString().endsWith("Role")).toList();
        assertThat(roles).isNotEmpty();
        for (JsonNode role : roles) {
            for (JsonNode rule : role.path("rules")) {
                for (String field : List.of("apiGroups", "resources", "verbs")) {
                    assertThat(rule.path(field).toString()).as(role.at("/metadata/name").asString() + " " + field).doesNotContain("*");
                }
            }
        }
        assertThat(only(objects, "Role").at("/metadata/namespace").asString()).isEqualTo("guestbook");
        assertThat(objects.stream().filter(o -> o.path("kind").asString().equals("Namespace")).map(o -> o.at("/metadata/name").asString()))
                .containsExactlyInAnyOrder("driftwarden", "guestbook");
        assertThat(only(objects, "Role").at("/rules").toString()).as("the example holds a Secret").contains("\"secrets\"");
        assertThat(only(objects, "ClusterRole").at("/rules").toString()).as("the example holds its Namespace")
                .contains("{\"apiGroups\":[\"\"],\"resources\":[\"namespaces\"],\"verbs\":[\"create\",\"list\",\"patch\"]}");
        for (JsonNode binding : objects.stream().filter(o -> o.path("kind").asString().endsWith("RoleBinding")).toList()) {
            assertThat(binding.at("/roleRef/name").asString()).isNotEqualTo("cluster-admin");
            assertThat(binding.at("/subjects").toString()).isEqualTo("[{\"kind\":\"ServiceAccount\",\"name\":\"driftwarden\",\"namespace\":\"driftwarden\"}]");
        }
    }

    /** What {@code driftwarden rbac} prints for {@code config}, its source replaced by a local repository holding the example. */
    private String rbac(Path config) throws Exception {
        Path repo = tmp.resolve("platform");
        if (!Files.exists(repo)) {
            List<String> files = new java.util.ArrayList<>();
            try (var examples = Files.list(Path.of("..", "examples", "guestbook"))) {
                for (Path file : examples.sorted().toList()) {
                    files.add("apps/guestbook/" + file.getFileName());
                    files.add(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
            CliE2E.repo(repo, files.toArray(String[]::new));
        }
        Path local = Files.writeString(tmp.resolve("driftwarden.yaml"), Files.readString(config, StandardCharsets.UTF_8)
                .replace("https://git.example.com/acme/platform.git", repo.toUri().toString())
                .replaceAll("(?m)^    auth:\\n      tokenFrom: .*\\n", "")); // a token is for https:// only
        String home = System.getProperty("user.home");
        System.setProperty("user.home", tmp.resolve("home").toString()); // the Git mirror cache
        try {
            InProcess.Outcome printed = InProcess.cli("rbac", "--config", local.toString());
            assertThat(printed.exit()).as(printed.all()).isZero();
            return printed.out();
        } finally {
            System.setProperty("user.home", home);
        }
    }

    private static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.path("kind").asString().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private List<JsonNode> render(String overlay) throws Exception {
        Path output = tmp.resolve(overlay + ".yaml");
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", DEPLOY.resolve("overlays").resolve(overlay).toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("kubectl is not on PATH: the deploy overlays are rendered by the real kubectl kustomize (1.32 on "
                    + "our machines); install it and run the tests again", e);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String rendered = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(rendered).isZero();
        return YamlDocuments.parseAll(rendered, overlay + ".yaml").stream().map(YamlDocument::tree).toList();
    }
}
