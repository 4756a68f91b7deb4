package io.driftwarden.cron;

import static io.driftwarden.cron.ChartValues.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.cron.schedule.QuartzCron;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * deploy/chart through Helm's own engine (helm-java: {@code helm lint}, {@code helm template}): both modes render what
 * the README documents, the RBAC is the generated one bound to the chart's ServiceAccount, and what must not be
 * installed fails the template with a message naming the value to change. What this cannot prove: that a real API
 * server admits the objects (ChartInstallIT applies them to the sandbox); Helm's install hooks and upgrade logic.
 */
class ChartTest {

    /** What `driftwarden rbac` printed for the kustomize example (DeployManifestTest keeps it equal to the command's output). */
    static final Path GENERATED_RBAC = Path.of("..", "deploy", "kustomize", "base", "rbac.yaml");

    @TempDir
    Path tmp;

    @Test
    void lintsWithoutErrorsOrWarnings() {
        LintResult lint = new Helm(ChartValues.CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.valueOf(lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void cronjobModeRunsRunOnTheChartsScheduleOnceAtATimeWithTheH2FileOnAKeptClaim() throws Exception {
        List<JsonNode> objects = ChartValues.objects(ChartValues.template(rbac()));

        assertThat(objects.stream().map(o -> o.path("kind").asString() + "/" + o.at("/metadata/name").asString())).containsExactlyInAnyOrder(
                "Namespace/guestbook", "ServiceAccount/dw-driftwarden", "ConfigMap/dw-driftwarden", "PersistentVolumeClaim/dw-driftwarden-data",
                "ClusterRole/driftwarden-dw-driftwarden", "ClusterRoleBinding/driftwarden-dw-driftwarden", "Role/dw-driftwarden",
                "RoleBinding/dw-driftwarden", "CronJob/dw-driftwarden");
        JsonNode cronJob = only(objects, "CronJob");
        assertThat(cronJob.at("/spec/concurrencyPolicy").asString()).isEqualTo("Forbid");
        assertThat(cronJob.at("/spec/schedule").asString()).isEqualTo("0 2 * * *");
        JsonNode pod = cronJob.at("/spec/jobTemplate/spec/template/spec");
        assertThat(pod.at("/terminationGracePeriodSeconds").asInt()).isEqualTo(60);
        assertThat(pod.at("/containers/0/args").toString()).isEqualTo("[\"run\",\"--config\",\"/config/driftwarden.yaml\",\"--trigger\",\"cronjob\"]");
        assertThat(pod.at("/containers/0/image").asString()).isEqualTo("registry.example.com/driftwarden:0.1.0");
        assertLockedDown(pod, "data:/data");
        assertThat(pod.path("volumes").toString()).contains("{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"dw-driftwarden-data\"}}");
        assertThat(only(objects, "PersistentVolumeClaim").at("/metadata/annotations/helm.sh~1resource-policy").asString())
                .as("the audit trail outlives the release").isEqualTo("keep");
        DriftwardenConfig config = config(objects);
        assertThat(config.audit().url()).isEqualTo("jdbc:h2:file:/data/audit");
    }

    @Test
    void theRbacIsTheGeneratedRulesBoundToTheChartsServiceAccountAfterTheNamespaceItLivesInLabelledForItsBinding() throws Exception {
        List<JsonNode> generated = ChartValues.objects(Files.readString(GENERATED_RBAC, StandardCharsets.UTF_8));
        List<JsonNode> objects = ChartValues.objects(ChartValues.template(rbac()));

        assertThat(only(objects, "Role").at("/rules")).isEqualTo(only(generated, "Role").at("/rules"));
        assertThat(only(objects, "Role").at("/metadata/namespace").asString()).isEqualTo("guestbook");
        assertThat(only(objects, "ClusterRole").at("/rules")).isEqualTo(only(generated, "ClusterRole").at("/rules"));
        for (String kind : List.of("RoleBinding", "ClusterRoleBinding")) {
            assertThat(only(objects, kind).at("/subjects").toString()).as(kind)
                    .isEqualTo("[{\"kind\":\"ServiceAccount\",\"name\":\"dw-driftwarden\",\"namespace\":\"driftwarden\"}]");
        }
        assertThat(only(objects, "Namespace").at("/metadata/annotations/helm.sh~1resource-policy").asString())
                .as("uninstalling the chart must not delete what the bindings applied").isEqualTo("keep");
        assertThat(only(objects, "Namespace").at("/metadata/labels").toString()).as("labelled as the binding's that declares it, as generated")
                .isEqualTo("{\"app.kubernetes.io/managed-by\":\"driftwarden\",\"driftwarden.io/binding\":\"guestbook\"}");
    }

    @Test
    void daemonModeOnPostgresqlRunsReplicasWithTheDaemonsProbesWebhookServiceIngressAndServiceMonitor() throws Exception {
        Path values = ChartValues.write(tmp, "daemon", Map.of(
                "mode", "daemon",
                "audit", Map.of("type", "postgresql", "postgresql", Map.of("url", "jdbc:postgresql://postgres:5432/driftwarden")),
                "daemon", Map.of("replicas", 2),
                "webhook", Map.of("existingSecret", "driftwarden-webhook", "github", "github"),
                "ingress", Map.of("enabled", true, "className", "nginx"),
                "serviceMonitor", Map.of("enabled", true)));

        List<JsonNode> objects = ChartValues.objects(ChartValues.template(rbac(), values));

        JsonNode deployment = only(objects, "Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(pod.at("/containers/0/args").toString()).isEqualTo("[\"schedule\",\"--config\",\"/config/driftwarden.yaml\",\"--port\",\"8080\"]");
        assertThat(pod.at("/containers/0/livenessProbe/httpGet/path").asString()).isEqualTo("/healthz");
        assertThat(pod.at("/containers/0/readinessProbe/httpGet/path").asString()).isEqualTo("/readyz");
        assertThat(pod.at("/containers/0/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(pod.at("/terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(300);
        assertLockedDown(pod);
        DriftwardenConfig config = config(objects);
        assertThat(config.audit().url()).isEqualTo("jdbc:postgresql://postgres:5432/driftwarden");
        assertThat(config.audit().password().target()).isEqualTo("/secrets/audit-db/password");
        assertThat(config.webhook().githubSecret().target()).isEqualTo("/secrets/webhook/github");
        assertThat(mountedSecret(pod, "/secrets/audit-db")).isEqualTo("driftwarden-audit-db");
        assertThat(mountedSecret(pod, "/secrets/webhook")).isEqualTo("driftwarden-webhook");
        assertThat(objects).noneMatch(o -> o.path("kind").asString().equals("PersistentVolumeClaim"));
        assertThat(only(objects, "Service").at("/spec/ports/0/targetPort").asString()).isEqualTo("http");
        assertThat(only(objects, "Ingress").at("/spec/rules/0/http/paths").toString()).as("only the webhook leaves the cluster")
                .contains("\"path\":\"/hooks/\"").doesNotContain("/metrics");
        assertThat(only(objects, "ServiceMonitor").at("/spec/endpoints/0/path").asString()).isEqualTo("/metrics");
    }

    @Test
    void oneDaemonOnH2HoldsItsFileOnTheClaimAndIsReplacedOnlyAfterTheOldPodEnded() throws Exception {
        Path values = ChartValues.write(tmp, "daemon-h2", Map.of("mode", "daemon"));

        List<JsonNode> objects = ChartValues.objects(ChartValues.template(rbac(), values));

        JsonNode deployment = only(objects, "Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(deployment.at("/spec/strategy/type").asString()).as("two processes never open the H2 file").isEqualTo("Recreate");
        assertLockedDown(deployment.at("/spec/template/spec"), "data:/data");
        assertThat(config(objects).webhook()).as("no webhook unless its Secret is given").isEqualTo(io.driftwarden.config.WebhookSettings.NONE);
        assertThat(objects).noneMatch(o -> List.of("Ingress", "ServiceMonitor").contains(o.path("kind").asString()));
    }

    @Test
    void refusesWhatMustNotBeInstalledNamingTheValue() throws Exception {
        String table = """
                several daemons on H2      | {"mode": "daemon", "daemon": {"replicas": 2}}                   | daemon.replicas is 2 but audit.type is h2
                PostgreSQL without a URL   | {"audit": {"type": "postgresql"}}                               | audit.postgresql.url is empty
                the audit store in config  | {"config": {"audit": {"url": "jdbc:h2:mem:x"}}}                 | config.audit is set from the chart's audit values
                an unknown mode            | {"mode": "operator"}                                            | mode
                an Ingress with no webhook | {"mode": "daemon", "ingress": {"enabled": true}}                | webhook.existingSecret is empty
                no RBAC given              | {"rbac": {"generated": ""}}                                     | rbac.generated is empty
                a wildcard in the RBAC     | {"rbac": {"generated": "kind: Role\\nmetadata: {name: x, namespace: a}\\nrules: [{apiGroups: ['*'], resources: [pods], verbs: [get]}]\\n"}} | grants '*' in apiGroups
                not RBAC in the RBAC       | {"rbac": {"generated": "kind: Deployment\\nmetadata: {name: x}\\n"}} | rbac.generated holds a Deployment
                """;
        for (String row : table.strip().split("\n")) {
            String[] cells = row.split("\\|");
            Path values = Files.writeString(tmp.resolve("row.yaml"), cells[1].strip());
            assertThatThrownBy(() -> ChartValues.template(rbac(), values)).as(cells[0].strip()).hasMessageContaining(cells[2].strip());
        }
    }

    /** The values file passing the generated RBAC, as {@code --set-file rbac.generated=rbac.yaml} would. */
    private Path rbac() throws Exception {
        return ChartValues.write(tmp, "rbac", Map.of("rbac", Map.of("generated", Files.readString(GENERATED_RBAC, StandardCharsets.UTF_8))));
    }

    private static DriftwardenConfig config(List<JsonNode> objects) {
        return ConfigLoader.parse(only(objects, "ConfigMap").at("/data/driftwarden.yaml").asString(), Path.of("driftwarden.yaml"), QuartzCron.CHECK);
    }

    private static String mountedSecret(JsonNode pod, String mountPath) {
        String volume = pod.at("/containers/0/volumeMounts").valueStream().filter(m -> m.path("mountPath").asString().equals(mountPath))
                .findFirst().orElseThrow().path("name").asString();
        return pod.path("volumes").valueStream().filter(v -> v.path("name").asString().equals(volume)).findFirst().orElseThrow()
                .at("/secret/secretName").asString();
    }

    /** Non-root, read-only root, no privilege escalation; writable only the Git cache, temp files and {@code extra}. */
    private static void assertLockedDown(JsonNode pod, String... extra) {
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/serviceAccountName").asString()).isEqualTo("dw-driftwarden");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.at("/securityContext/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
        List<String> writable = container.path("volumeMounts").valueStream().filter(m -> !m.path("readOnly").asBoolean())
                .map(m -> m.path("name").asString() + ":" + m.path("mountPath").asString()).toList();
        List<String> expected = new java.util.ArrayList<>(List.of("work:/work", "tmp:/tmp"));
        expected.addAll(List.of(extra));
        assertThat(writable).containsExactlyInAnyOrderElementsOf(expected);
    }
}
