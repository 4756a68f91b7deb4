package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.driftwarden.sandbox.SandboxRequest;
import io.driftwarden.sandbox.rbac.Attributes;
import io.driftwarden.sandbox.rbac.Authorizer;
import io.driftwarden.sandbox.rbac.Authorizer.Grant;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 20's "done when": the chart, installed into the sandbox by Helm's own install (helm-java) in cronjob mode with
 * the H2 file on a PersistentVolumeClaim, runs its config as the CronJob would — the CronJob and its ConfigMap read
 * back from the sandbox, the CLI run in process with the CronJob's arguments — and reconciles a binding of a real Git
 * repository; and every request those runs sent (creating, then pruning) is allowed by the RBAC the chart installed
 * from {@code driftwarden rbac}'s output, for the ServiceAccount the CronJob runs as.
 *
 * <p>What the sandbox cannot prove: it authorizes nothing (every request is allowed; the RBAC decision is
 * {@link Authorizer}'s reading of the request log, modelled on Kubernetes' authorizer), it runs no CronJob controller
 * and no pod (the test plays the kubelet: volumes become folders — the ConfigMap's files, the claim an empty folder —
 * and the cluster is reached through a kubeconfig instead of the pod's in-cluster service account), and it admits
 * objects without PodSecurity or quotas.
 */
class ChartInstallIT {

    private static final String SERVICE_ACCOUNT_NAMESPACE = ChartValues.NAMESPACE;

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage(ChartValues.NAMESPACE);

    @Test
    void theInstalledCronJobReconcilesItsBindingsWithinTheRbacItWasGiven() throws Exception {
        // given: a Git repository holding the example guestbook, a config binding it (pruning), the RBAC `rbac` prints for it
        Path repo = tmp.resolve("platform");
        List<String> files = new ArrayList<>();
        try (var examples = Files.list(Path.of("..", "examples", "guestbook"))) {
            for (Path file : examples.sorted().toList()) {
                files.add("apps/guestbook/" + file.getFileName());
                files.add(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        CliE2E.repo(repo, files.toArray(String[]::new));
        Path kubeconfig = stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig"));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("sources", List.of(Map.of("name", "platform", "url", repo.toUri().toString())));
        config.put("clusters", List.of(Map.of("name", "sandbox", "kubeconfig", kubeconfig.toString())));
        config.put("bindings", List.of(Map.of("name", "guestbook", "source", "platform", "path", "apps/guestbook", "cluster", "sandbox",
                "namespace", "guestbook", "mode", "enforce", "prune", true)));
        Path configFile = ChartValues.write(tmp, "driftwarden", config);
        InProcess.Outcome rbac = InProcess.cli("rbac", "--config", configFile.toString());
        assertThat(rbac.exit()).as(rbac.all()).isZero();
        Path values = ChartValues.write(tmp, "values", Map.of("mode", "cronjob", "audit", Map.of("type", "h2"), "config", config,
                "secretMounts", List.of(), "rbac", Map.of("generated", rbac.out())));

        // when: Helm installs the chart into the sandbox
        Release release = new Helm(ChartValues.CHART).install().withName(ChartValues.RELEASE).withNamespace(ChartValues.NAMESPACE)
                .withKubeConfig(kubeconfig).withValuesFile(values).call();

        // then: every object it rendered is on the sandbox
        assertThat(release.getStatus()).isEqualTo("deployed");
        List<JsonNode> rendered = ChartValues.objects(ChartValues.template(values));
        try (KubernetesClient client = stage.sandbox().client()) {
            for (JsonNode object : rendered) {
                var resources = client.genericKubernetesResources(object.path("apiVersion").asString(), object.path("kind").asString());
                String name = object.at("/metadata/name").asString();
                assertThat(isClusterScoped(object) ? resources.withName(name).get()
                        : resources.inNamespace(object.at("/metadata/namespace").asString(ChartValues.NAMESPACE)).withName(name).get())
                        .as(object.path("kind").asString() + " " + object.at("/metadata/name").asString()).isNotNull();
            }
            assertThat(rendered.stream().map(o -> o.path("kind").asString())).contains("CronJob", "ConfigMap", "PersistentVolumeClaim",
                    "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Namespace");

            // when: the CronJob fires, as its pod would run it — then an object leaves Git and it fires again
            CronJob cronJob = client.batch().v1().cronjobs().inNamespace(ChartValues.NAMESPACE).withName("dw-driftwarden").get();
            assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
            PodSpec pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
            List<String> args = mount(client, pod);
            stage.sandbox().clearRequests();
            InProcess.Outcome first = InProcess.cli(args.toArray(String[]::new));
            List<SandboxRequest> sent = new ArrayList<>(stage.sandbox().requests()); // the run's, before the test reads anything
            assertThat(first.exit()).as(first.all()).isZero();
            // Helm labels what it creates managed-by=Helm; the binding that declares the Namespace takes the label back once
            assertThat(first.out()).containsPattern("Namespace/guestbook\\s+MODIFIED\\s+CONFIGURED\\s+metadata.labels\\[\"app.kubernetes.io/managed-by\"\\]");
            assertThat(client.apps().deployments().inNamespace("guestbook").withName("frontend").get()).isNotNull();
            assertThat(client.secrets().inNamespace("guestbook").withName("redis-credentials").get()).isNotNull();
            try (Git git = Git.open(repo.toFile())) {
                git.rm().addFilepattern("apps/guestbook/configmap.yaml").call();
                git.commit().setMessage("the settings leave Git").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").setSign(false).call();
            }
            stage.sandbox().clearRequests();
            InProcess.Outcome second = InProcess.cli(args.toArray(String[]::new));
            sent.addAll(stage.sandbox().requests());
            assertThat(second.exit()).as(second.all()).isZero();
            assertThat(second.out()).containsPattern("ConfigMap/guestbook/\\S+\\s+EXTRA\\s+DELETED");

            // then: every request both runs sent is allowed by what is bound to the CronJob's ServiceAccount
            List<Grant> grants = Authorizer.grantsOf(SERVICE_ACCOUNT_NAMESPACE, pod.getServiceAccountName(),
                    client.rbac().roles().inAnyNamespace().list().getItems(), client.rbac().clusterRoles().list().getItems(),
                    client.rbac().roleBindings().inAnyNamespace().list().getItems(), client.rbac().clusterRoleBindings().list().getItems());
            List<Attributes> needed = sent.stream().flatMap(r -> Attributes.of(r).stream()).distinct().toList();
            assertThat(needed.stream().map(Attributes::toString)).contains("list core/namespaces", "list apps/deployments in guestbook",
                    "create core/secrets in guestbook named redis-credentials", "delete core/configmaps in guestbook named frontend-settings");
            assertThat(needed).allSatisfy(request -> assertThat(Authorizer.allows(grants, request)).as(request + " by " + grants).isTrue());
            // and the check bites: without the Role in guestbook, the run's writes there are not allowed
            List<Grant> withoutRole = grants.stream().filter(g -> !"guestbook".equals(g.namespace())).toList();
            assertThat(needed).anySatisfy(request -> assertThat(Authorizer.allows(withoutRole, request)).isFalse());
        }
    }

    /**
     * Plays the kubelet for the CronJob's pod: each volume becomes a folder under {@code tmp/pod} (a ConfigMap's keys its
     * files, a claim or emptyDir an empty folder), and the container's arguments and the config's {@code file:} store
     * point there. Returns the arguments.
     */
    private List<String> mount(KubernetesClient client, PodSpec pod) throws Exception {
        Path root = tmp.resolve("pod");
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (VolumeMount volumeMount : pod.getContainers().get(0).getVolumeMounts()) {
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(volumeMount.getName())).findFirst().orElseThrow();
            Path folder = Files.createDirectories(root.resolve(volumeMount.getMountPath().substring(1)));
            mounts.put(volumeMount.getMountPath(), folder);
            if (volume.getConfigMap() != null) {
                ConfigMap configMap = client.configMaps().inNamespace(ChartValues.NAMESPACE).withName(volume.getConfigMap().getName()).get();
                assertThat(configMap).as("the ConfigMap the CronJob mounts").isNotNull();
                for (Map.Entry<String, String> file : configMap.getData().entrySet()) {
                    Files.writeString(folder.resolve(file.getKey()), file.getValue());
                }
            } else if (volume.getPersistentVolumeClaim() != null) {
                assertThat(client.persistentVolumeClaims().inNamespace(ChartValues.NAMESPACE).withName(volume.getPersistentVolumeClaim().getClaimName())
                        .get()).as("the claim the CronJob mounts").isNotNull();
            } else {
                assertThat(volume.getEmptyDir()).as("volume " + volume.getName() + ": this test mounts ConfigMaps, claims and emptyDirs").isNotNull();
            }
        }
        Path configFile = mounts.get("/config").resolve("driftwarden.yaml");
        String config = Files.readString(configFile);
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            config = config.replace("file:" + mount.getKey() + "/", "file:" + mount.getValue() + "/"); // the H2 store on the claim
        }
        Files.writeString(configFile, config);
        List<String> args = new ArrayList<>();
        for (String arg : pod.getContainers().get(0).getArgs()) {
            String mapped = arg;
            for (Map.Entry<String, Path> mount : mounts.entrySet()) {
                if (arg.startsWith(mount.getKey() + "/")) {
                    mapped = mount.getValue() + arg.substring(mount.getKey().length());
                }
            }
            args.add(mapped);
        }
        assertThat(args).containsSequence("--trigger", "cronjob");
        return args;
    }

    private static boolean isClusterScoped(JsonNode object) {
        return List.of("Namespace", "ClusterRole", "ClusterRoleBinding").contains(object.path("kind").asString());
    }
}
