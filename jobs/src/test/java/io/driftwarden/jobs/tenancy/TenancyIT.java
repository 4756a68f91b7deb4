package io.driftwarden.jobs.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenancy against the sandbox: a binding writes only where it is allowed, every refusal is audited with the
 * manifest's file:line and nothing of it reaches the cluster; two bindings never fight over one object. What the
 * sandbox cannot prove: the cluster's own RBAC, which is the second line of defence.
 */
class TenancyIT {

    private static final String ADMIN_BINDING = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: take-over}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: ServiceAccount, name: default, namespace: team-a}]
            """;

    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("team-a", "team-b", "shared").clearRequests();
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void aTeamsBindingWritesOnlyIntoItsNamespaceAndEachRefusalIsAuditedWithFileAndLine() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("a/cm.yaml", Manifests.configMap("settings", "k", "v"))
                .write("a/escape.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: escape, namespace: kube-system}\n")
                .write("a/admin.yaml", ADMIN_BINDING)
                .write("a/crb.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: everything}\n"
                        + "rules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]\n")
                .write("a/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n")
                .commit("a team reaches too far");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("team-a", "a", ""));

            BindingResult result = world.reconcile(config, "team-a");

            assertThat(result.changes()).extracting(c -> c.action() + " " + c.key().subject()).containsExactlyInAnyOrder(
                    "CREATED ConfigMap/team-a/settings", "REFUSED ConfigMap/kube-system/escape", "REFUSED RoleBinding/team-a/take-over",
                    "REFUSED ClusterRole/everything", "REFUSED Namespace/other");
            assertThat(result.changes()).filteredOn(c -> c.action() == Action.REFUSED).extracting(Change::detail).containsExactlyInAnyOrder(
                    "a/escape.yaml:1: ConfigMap/kube-system/escape refused: namespace kube-system is outside binding team-a's allowNamespaces [team-a]",
                    "a/admin.yaml:1: RoleBinding/team-a/take-over refused: a binding to the cluster-admin ClusterRole is never written",
                    "a/crb.yaml:1: ClusterRole/everything refused: kind ClusterRole is denied to every binding (denyKinds)",
                    "a/ns.yaml:1: Namespace/other refused: cluster-scoped Namespace is not in binding team-a's allowClusterKinds []");
            assertThat(result.failed()).isTrue();
            assertThat(world.writes()).singleElement().satisfies(w -> assertThat(w.path()).contains("/namespaces/team-a/configmaps/settings"));
            assertThat(world.events(world.lastRunId())).filteredOn(e -> e.startsWith("REFUSED")).hasSize(4);
            assertThat(client.configMaps().inNamespace("kube-system").withName("escape").get()).isNull();
        }
    }

    @Test
    void allowancesWidenWhatABindingMayWriteAndAuditModeStillDiffsEverything() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("a/shared.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: common, namespace: shared}\ndata: {k: v}\n")
                .write("a/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n")
                .commit("allowed elsewhere");
            DriftwardenConfig audit = world.config(World.sources(repo) + binding("team-a", "a", "").replace("mode: enforce", "mode: audit"));
            assertThat(world.reconcile(audit, "team-a").changes()).extracting(Change::action).containsOnly(Action.SKIPPED);

            DriftwardenConfig config = world.config(World.sources(repo) + binding("team-a", "a",
                    "    allowNamespaces: [team-a, shared]\n    allowClusterKinds: [Namespace]\n"));
            BindingResult result = world.reconcile(config, "team-a");

            assertThat(result.failed()).isFalse();
            assertThat(client.configMaps().inNamespace("shared").withName("common").get()).isNotNull();
            assertThat(client.namespaces().withName("other").get()).isNotNull();
        }
    }

    @Test
    void theBindingWhoseLabelAnObjectCarriesOwnsItAndTheOtherIsRefused() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("a/common.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: common, namespace: shared}\ndata: {owner: a}\n")
                .write("b/common.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: common, namespace: shared}\ndata: {owner: b}\n")
                .commit("two bindings, one object");
            DriftwardenConfig config = world.config(World.sources(repo) + binding("team-a", "a", "    allowNamespaces: [team-a, shared]\n")
                    + binding("team-b", "b", "    allowNamespaces: [team-b, shared]\n"));
            world.reconcile(config, "team-a");

            BindingResult second = world.reconcile(config, "team-b");
            BindingResult again = world.reconcile(config, "team-a");

            assertThat(second.changes()).singleElement().satisfies(c -> {
                assertThat(c.action()).isEqualTo(Action.REFUSED);
                assertThat(c.detail()).contains("binding team-a owns it");
            });
            assertThat(again.drifts()).noneMatch(d -> d.drifted());
            assertThat(client.configMaps().inNamespace("shared").withName("common").get().getData()).containsEntry("owner", "a");
        }
    }

    private static String binding(String name, String path, String extra) {
        return World.binding(name, path) + extra;
    }
}
