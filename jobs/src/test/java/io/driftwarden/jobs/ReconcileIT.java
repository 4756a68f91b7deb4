package io.driftwarden.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.audit.report.CsvReport;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.diff.DriftType;
import io.driftwarden.sandbox.SandboxRequest;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline end to end on real parts: Git repositories in a temp dir read over file://, the sandbox API server,
 * and the H2 file audit store. The sandbox cannot prove field ownership, admission or controllers, and models only
 * the defaults it names (sandbox Defaults): these tests prove the request pattern, the audit ordering and the masking.
 */
class ReconcileIT {

    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void startWorld() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("shop", "team-a", "team-b").clearRequests();
    }

    @AfterEach
    void stopWorld() throws Exception {
        world.close();
    }

    @Test
    void listsOncePerKindAndNamespaceAndWritesNothingWhenInSync() throws Exception {
        // given 24 objects: K=3 kinds x M=2 namespaces, 4 of each, one binding per namespace
        try (GitRepo repo = world.repo("repo")) {
            for (String ns : List.of("team-a", "team-b")) {
                for (int i = 0; i < 4; i++) {
                    repo.write(ns + "/cm-" + i + ".yaml", Manifests.configMap("cm-" + i, "k", "v" + i))
                        .write(ns + "/svc-" + i + ".yaml", Manifests.service("svc-" + i))
                        .write(ns + "/deploy-" + i + ".yaml", Manifests.deployment("deploy-" + i, 2, "nginx:1.25"));
                }
            }
            repo.commit("24 objects");
            DriftwardenConfig config = world.config(sources(repo) + binding("team-a", "team-a", "enforce") + binding("team-b", "team-b", "enforce"));

            // when the first run creates everything
            world.reconcile(config, "team-a");
            world.reconcile(config, "team-b");

            // then one LIST per (kind, namespace), no GET per object, one write per object; and to read the health of what it
            // wrote, one more Deployment LIST per namespace (ConfigMaps and ClusterIP Services are Current from the write alone)
            assertThat(world.lists()).hasSize(3 * 2 + 2);
            assertThat(world.gets()).isEmpty();
            assertThat(world.writes()).hasSize(24);
            Map<String, String> versionsBefore = resourceVersions();

            // when a second run finds the cluster as Git says
            world.sandbox.clearRequests();
            BindingResult second = world.reconcile(config, "team-a");
            String secondRun = world.lastRunId();
            world.reconcile(config, "team-b");

            // then it lists again, writes nothing, audits no correction, and no resourceVersion moved
            assertThat(world.lists()).hasSize(3 * 2);
            assertThat(world.writes()).isEmpty();
            assertThat(second.drifts()).extracting(d -> d.type()).containsOnly(DriftType.IN_SYNC);
            assertThat(second.changes()).extracting(c -> c.action()).containsOnly(Action.UNCHANGED);
            // and the binding's result, kept until the run ends, holds each object's key and origin but not its manifest
            // (a run of 500 bindings would otherwise hold all 100,000 until it ends: README, Performance)
            assertThat(second.drifts()).hasSize(12).allSatisfy(d -> {
                assertThat(d.desired().manifest()).isNull();
                assertThat(d.desired().origin()).startsWith("team-a/");
            });
            assertThat(world.events(secondRun)).isEmpty();
            assertThat(resourceVersions()).isEqualTo(versionsBefore).hasSize(24);
        }
    }

    @Test
    void commitsEachIntentRowBeforeItsWriteReachesTheCluster() throws Exception {
        // given the sandbox checks the audit store (over its own connection) whenever a write arrives
        List<String> violations = new CopyOnWriteArrayList<>();
        List<SandboxRequest> seen = new CopyOnWriteArrayList<>();
        world.sandbox.beforeWrite(request -> {
            seen.add(request);
            int intents = count("SELECT count(*) FROM audit_event WHERE event = 'INTENT'");
            if (intents < seen.size()) {
                violations.add(request.method() + " " + request.path() + " arrived with " + intents + " intent rows committed");
            }
        });
        try (GitRepo repo = world.repo("repo")) {
            repo.write("app/cm.yaml", Manifests.configMap("settings", "color", "blue"))
                .write("app/deploy.yaml", Manifests.deployment("api", 3, "nginx:1.25"))
                .commit("initial");
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app", "enforce"));

            // when
            BindingResult result = world.reconcile(config, "shop");

            // then every write found its intent row already durable, and each write has its outcome row
            assertThat(seen).hasSize(2);
            assertThat(violations).isEmpty();
            assertThat(world.events(world.lastRunId())).containsExactly(
                    "INTENT ConfigMap/shop/settings", "CORRECTED ConfigMap/shop/settings",
                    "INTENT Deployment/shop/api", "CORRECTED Deployment/shop/api",
                    "HEALTH ConfigMap/shop/settings", "HEALTH Deployment/shop/api"); // health after the writes
            assertThat(result.correctedCount()).isEqualTo(2);
        }
    }

    @Test
    void correctsHandEditsAndRecordsEachDriftWithTheFullCommit() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient kubectl = world.sandbox.client()) {
            repo.write("app/cm.yaml", Manifests.configMap("settings", "color", "blue"))
                .write("app/deploy.yaml", Manifests.deployment("api", 3, "nginx:1.25"))
                .write("app/svc.yaml", Manifests.service("api"));
            String commit = repo.commit("initial");
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app", "enforce"));
            world.reconcile(config, "shop");

            // given people changed the cluster by hand
            kubectl.apps().deployments().inNamespace("shop").withName("api").edit(d -> {
                d.getSpec().setReplicas(5);
                return d;
            });
            kubectl.services().inNamespace("shop").withName("api").delete();
            kubectl.configMaps().inNamespace("shop").withName("settings").edit(cm -> {
                cm.getData().put("color", "red");
                return cm;
            });

            // when
            BindingResult result = world.reconcile(config, "shop");

            // then each is found and corrected, and the cluster holds Git's values again
            assertThat(result.drifts()).filteredOn(d -> d.drifted())
                    .extracting(d -> d.key().subject() + " " + d.type() + " " + d.paths())
                    .containsExactlyInAnyOrder("ConfigMap/shop/settings MODIFIED [data.color]",
                            "Deployment/shop/api MODIFIED [spec.replicas]", "Service/shop/api MISSING []");
            assertThat(kubectl.apps().deployments().inNamespace("shop").withName("api").get().getSpec().getReplicas()).isEqualTo(3);
            assertThat(kubectl.configMaps().inNamespace("shop").withName("settings").get().getData()).containsEntry("color", "blue");
            assertThat(kubectl.services().inNamespace("shop").withName("api").get()).isNotNull();
            assertThat(world.audit.records(ReportFilter.all())).filteredOn(r -> r.entry().runId().equals(world.lastRunId()))
                    .hasSize(6 + 3).allSatisfy(r -> assertThat(r.entry().commit()).isEqualTo(commit).hasSize(40)); // and a HEALTH row each
        }
    }

    @Test
    void removesWhatKubectlAddedByHandAndLeavesAControllersAdditionAlone() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient kubectl = world.sandbox.client()) {
            repo.write("app/deploy.yaml", Manifests.deployment("api", 3, "nginx:1.25")).commit("initial");
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app", "enforce"));
            world.reconcile(config, "shop");
            var api = kubectl.apps().deployments().inNamespace("shop").withName("api");

            // given kubectl-edit added an env var and a label, and a controller added an annotation
            api.patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager("kubectl-edit").build(), """
                    [{"op":"add","path":"/spec/template/spec/containers/0/env","value":[{"name":"DEBUG","value":"1"}]},
                     {"op":"add","path":"/metadata/labels/oncall","value":"me"}]""");
            api.patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager("my-controller").build(),
                    "{\"metadata\":{\"annotations\":{\"example.com/seen\":\"yes\"}}}");
            world.sandbox.clearRequests();

            // when
            BindingResult result = world.reconcile(config, "shop");

            // then both hand changes are found, with who made them, confirmed by the patch's dry-run (the server does not put
            // them back) and removed by one guarded JSON patch
            assertThat(result.drifts().get(0).details()).extracting(d -> d.path().render() + " " + d.because())
                    .containsExactlyInAnyOrder("metadata.labels.oncall added by kubectl-edit",
                            // the patch added the whole list, so kubectl-edit owns the list itself (as structured-merge-diff records it)
                            "spec.template.spec.containers[name=web].env added by kubectl-edit");
            assertThat(result.dryRuns()).isEqualTo(1);
            assertThat(world.writes()).extracting(w -> w.contentType() + (w.path().contains("dryRun=All") ? " dry-run" : ""))
                    .containsExactly("application/json-patch+json dry-run", "application/json-patch+json");
            var after = api.get();
            assertThat(after.getMetadata().getLabels()).doesNotContainKey("oncall");
            assertThat(after.getMetadata().getAnnotations()).containsEntry("example.com/seen", "yes");
            assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).isEmpty();
            assertThat(world.events(world.lastRunId())).containsExactly("INTENT Deployment/shop/api", "CORRECTED Deployment/shop/api",
                    "HEALTH Deployment/shop/api");
            BindingResult next = world.reconcile(config, "shop");
            assertThat(next.driftCount()).as(next.drifts().get(0).maskedDiff()).isZero();
        }
    }

    @Test
    void intentsARunLeftWithoutOutcomeAreResolvedByTheNextRunFromWhatTheClusterHolds() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("app/cm.yaml", Manifests.configMap("settings", "color", "blue"))
                .write("app/other.yaml", Manifests.configMap("other", "k", "v")).commit("two objects");
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app", "enforce"));
            assertThat(world.reconcile(config, "shop").error()).isNull();
            // a run killed an hour ago: its write of settings reached the cluster, its create of lost did not
            AuditLog killed = AuditLog.on(world.audit.dataSource(), Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC));
            killed.append(new AuditEntry("killed-run", "cronjob", "shop", repo.url(), null, "sandbox", "shop", "", "v1", "ConfigMap",
                    "settings", EventType.INTENT, "MODIFIED", "CONFIGURED", "data.color", "~ data.color: red -> blue", null));
            killed.append(new AuditEntry("killed-run", "cronjob", "shop", repo.url(), null, "sandbox", "shop", "", "v1", "ConfigMap",
                    "lost", EventType.INTENT, "MISSING", "CREATED", "", "+ ConfigMap/shop/lost", null));
            assertThat(world.audit.verify().openIntents()).hasSize(2);

            world.reconcile(config, "shop");

            assertThat(world.audit.verify().ok()).isTrue();
            List<AuditRecord> recovered = world.audit.records(ReportFilter.run("killed-run")).stream()
                    .filter(r -> r.entry().event() != EventType.INTENT).toList();
            assertThat(recovered).extracting(r -> r.entry().event() + " " + r.subject())
                    .containsExactly("CORRECTED ConfigMap/shop/settings", "FAILED ConfigMap/shop/lost");
            assertThat(recovered.get(0).entry().error()).startsWith("recorded by run " + world.lastRunId() + ": run killed-run stopped");
            world.reconcile(config, "shop");
            assertThat(world.audit.records(ReportFilter.run("killed-run"))).hasSize(4);
        }
    }

    @Test
    void auditModeRecordsDriftAndWritesNothing() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("app/cm.yaml", Manifests.configMap("settings", "color", "blue")).commit("initial");
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app", "audit"));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(world.writes()).isEmpty();
            assertThat(result.driftLeft()).isTrue();
            assertThat(world.events(world.lastRunId())).containsExactly("DETECTED ConfigMap/shop/settings");
        }
    }

    @Test
    void neverWritesASecretValueToTheAuditStoreOrTheReport() throws Exception {
        String gitValue = "git-Sup3rS3cret-value";
        String handValue = "hand-Typ3d-s3cret";
        try (GitRepo repo = world.repo("repo"); KubernetesClient kubectl = world.sandbox.client()) {
            repo.write("app/secret.yaml", Manifests.secret("creds", "password", gitValue)).commit("initial");
            DriftwardenConfig config = world.config(sources(repo) + binding("shop", "app", "enforce"));
            world.reconcile(config, "shop");
            kubectl.secrets().inNamespace("shop").withName("creds").edit(s -> {
                s.getData().put("password", base64(handValue));
                s.getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration",
                        "{\"data\":{\"password\":\"" + base64(handValue) + "\"}}"));
                return s;
            });

            // when the edited Secret is found and corrected
            BindingResult result = world.reconcile(config, "shop");
            assertThat(result.correctedCount()).isEqualTo(1);
            assertThat(result.drifts().get(0).paths()).containsExactly("data.password");

            // then no form of either value is anywhere in the store, the report, or the result
            StringBuilder csv = new StringBuilder();
            CsvReport.write(world.audit.records(ReportFilter.all()), csv);
            List<String> forbidden = List.of(gitValue, base64(gitValue), handValue, base64(handValue));
            for (String text : List.of(world.everythingInTheAuditStore(), csv.toString(), result.toString())) {
                assertThat(text).contains("data.password").doesNotContain(forbidden);
            }
        }
    }

    private Map<String, String> resourceVersions() {
        Map<String, String> versions = new TreeMap<>();
        try (KubernetesClient client = world.sandbox.client()) {
            List<HasMetadata> all = new ArrayList<>();
            for (String ns : List.of("team-a", "team-b")) {
                Stream.of(client.configMaps().inNamespace(ns).list().getItems(), client.services().inNamespace(ns).list().getItems(),
                        client.apps().deployments().inNamespace(ns).list().getItems()).forEach(all::addAll);
            }
            all.forEach(o -> versions.put(o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
                    o.getMetadata().getResourceVersion()));
        }
        world.sandbox.clearRequests();
        return versions;
    }

    private int count(String sql) {
        try (Connection connection = DriverManager.getConnection(world.auditUrl, "sa", "");
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sources(GitRepo repo) {
        return """
                sources:
                  - name: repo
                    url: %s
                bindings:
                """.formatted(repo.url());
    }

    static String binding(String name, String path, String mode) {
        return """
                  - name: %s
                    source: repo
                    path: %s
                    cluster: sandbox
                    namespace: %s
                    mode: %s
                """.formatted(name, path, name.equals("shop") ? "shop" : path, mode);
    }
}
