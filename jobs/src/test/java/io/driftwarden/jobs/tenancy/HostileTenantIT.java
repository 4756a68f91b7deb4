package io.driftwarden.jobs.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A tenant with write access to one repository attacks the shared cluster through its binding; each story is one escape
 * that was reproduced from outside, and asserts it is refused (a REFUSED row or a kept object with its reason) and that
 * nothing was written or deleted outside the binding's allowance. What the sandbox cannot prove: a real cluster's RBAC
 * and admission, which stand behind this gate, and how a real server would answer a write we never send.
 */
class HostileTenantIT {

    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("team-a", "team-b").clearRequests();
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void anObjectRefusedByTenancyNeverEntersTheInventorySoRemovingItFromGitDeletesNothing() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            client.configMaps().inNamespace("team-b").resource(new ConfigMapBuilder().withNewMetadata().withName("payments")
                    .endMetadata().addToData("owner", "team-b").build()).create();
            repo.write("a/cm.yaml", Manifests.configMap("settings", "k", "v"))
                .write("a/theirs.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: payments, namespace: team-b}\ndata: {owner: a}\n")
                .write("a/their-ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-b}\n")
                .commit("declare another team's objects");
            DriftwardenConfig config = world.config(World.sources(repo) + World.binding("team-a", "a") + "    prune: true\n    maxPrune: 10\n");
            BindingResult declared = world.reconcile(config, "team-a");
            assertThat(declared.changes()).extracting(c -> c.action() + " " + c.key().subject())
                    .contains("REFUSED ConfigMap/team-b/payments", "REFUSED Namespace/team-b");

            repo.delete("a/theirs.yaml").delete("a/their-ns.yaml").commit("and take them out again");
            world.sandbox.clearRequests();
            BindingResult removed = world.reconcile(config, "team-a");

            assertThat(removed.changes()).extracting(Change::action).doesNotContain(Action.DELETED);
            assertThat(world.writes()).isEmpty();
            assertThat(client.namespaces().withName("team-b").get()).isNotNull();
            assertThat(client.configMaps().inNamespace("team-b").withName("payments").get().getData()).containsEntry("owner", "team-b");
        }
    }

    @Test
    void clusterScopedKindsNoHandListKnewAreRefusedBeforeAnyRequest() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            // a cluster-scoped custom kind the cluster serves (cert-manager's ClusterIssuer); its CRD is not in the tenant's repository
            client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder().withNewMetadata()
                    .withName("clusterissuers.cert-manager.io").endMetadata().withNewSpec().withGroup("cert-manager.io").withScope("Cluster")
                    .withNewNames().withKind("ClusterIssuer").withPlural("clusterissuers").withSingular("clusterissuer").endNames()
                    .addNewVersion().withName("v1").withServed(true).withStorage(true).withNewSchema().withNewOpenAPIV3Schema()
                    .withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema().endVersion()
                    .endSpec().build()).create();
            repo.write("a/issuer.yaml", "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: everyone}\nspec: {selfSigned: {}}\n")
                .write("a/map.yaml", "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingAdmissionPolicy\nmetadata: {name: inject}\n")
                .write("a/cidr.yaml", "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: wide}\nspec: {cidrs: [10.0.0.0/8]}\n")
                .write("a/cm.yaml", Manifests.configMap("settings", "k", "v"))
                .commit("cluster-wide kinds");
            world.sandbox.clearRequests();

            BindingResult result = world.reconcile(world.config(World.sources(repo) + World.binding("team-a", "a")), "team-a");

            assertThat(result.changes()).extracting(c -> c.action() + " " + c.key().subject()).containsExactlyInAnyOrder(
                    "CREATED ConfigMap/team-a/settings", "REFUSED ClusterIssuer/everyone", "REFUSED MutatingAdmissionPolicy/inject",
                    "REFUSED ServiceCIDR/wide");
            assertThat(result.changes()).filteredOn(c -> c.action() == Action.REFUSED).extracting(Change::detail)
                    .allMatch(detail -> detail.contains("is not in binding team-a's allowClusterKinds []"));
            assertThat(world.writes()).singleElement().satisfies(w -> assertThat(w.path()).contains("/namespaces/team-a/configmaps/settings"));
            assertThat(world.events(world.lastRunId())).filteredOn(e -> e.startsWith("REFUSED")).hasSize(3);
        }
    }

    @Test
    void itsOwnNamespaceTakesOnlyDriftwardensLabelsAndAnotherTeamsCrdIsNotTakenOver() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder().withNewMetadata()
                    .withName("widgets.example.com").endMetadata().withNewSpec().withGroup("example.com").withScope("Namespaced")
                    .withNewNames().withKind("Widget").withPlural("widgets").endNames().addNewVersion().withName("v1").withServed(true)
                    .withStorage(true).withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                    .endOpenAPIV3Schema().endSchema().endVersion().endSpec().build()).create();
            client.namespaces().withName("team-a").edit(ns -> new NamespaceBuilder(ns).editMetadata()
                    .addToLabels(Map.of("driftwarden.io/binding", "team-a")).endMetadata().build());
            repo.write("a/ns.yaml", """
                    apiVersion: v1
                    kind: Namespace
                    metadata:
                      name: team-a
                      labels: {pod-security.kubernetes.io/enforce: privileged}
                    """)
                .write("a/crd.yaml", """
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata: {name: widgets.example.com}
                    spec:
                      group: example.com
                      scope: Namespaced
                      names: {kind: Widget, plural: widgets}
                      versions:
                      - name: v1
                        served: true
                        storage: true
                        schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                        subresources: {status: {}}
                    """)
                .commit("privileged, and someone else's CRD");
            world.sandbox.clearRequests();

            BindingResult result = world.reconcile(world.config(World.sources(repo) + World.binding("team-a", "a")
                    + "    allowClusterKinds: [CustomResourceDefinition]\n"), "team-a");

            assertThat(result.changes()).filteredOn(c -> c.action() == Action.REFUSED).extracting(Change::detail).containsExactlyInAnyOrder(
                    "a/ns.yaml:1: Namespace/team-a refused: the binding's own Namespace may carry only driftwarden's labels "
                            + "(app.kubernetes.io/managed-by, driftwarden.io/binding); label pod-security.kubernetes.io/enforce needs "
                            + "allowClusterKinds: [Namespace]",
                    "a/crd.yaml:1: CustomResourceDefinition/widgets.example.com refused: cluster-scoped "
                            + "CustomResourceDefinition/widgets.example.com exists and does not carry driftwarden.io/binding=team-a: it is "
                            + "not this binding's to overwrite (set adopt: true on the binding to take it over)");
            // the server is asked (dryRun=All) whether the drift is real, which changes nothing; nothing else is sent
            assertThat(world.writes()).allMatch(w -> w.path().contains("dryRun=All"));
            assertThat(client.namespaces().withName("team-a").get().getMetadata().getLabels()).doesNotContainKey("pod-security.kubernetes.io/enforce");
        }
    }

    @Test
    void createNamespaceNeitherDefeatsTheEmptyRenderGuardNorGetsItsNamespacePrunedWhenTurnedOff() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("c/a.yaml", Manifests.configMap("a", "k", "v")).write("c/b.yaml", Manifests.configMap("b", "k", "v"))
                .commit("two objects in a namespace driftwarden creates");
            String binding = World.binding("team-c", "c") + "    prune: true\n    maxPrune: 10\n";
            world.reconcile(world.config(World.sources(repo) + binding + "    createNamespace: true\n"), "team-c");
            assertThat(client.namespaces().withName("team-c").get()).isNotNull();

            repo.delete("c/a.yaml").delete("c/b.yaml").write("c/README.md", "emptied").commit("a wrong path looks like this");
            BindingResult emptied = world.reconcile(world.config(World.sources(repo) + binding + "    createNamespace: true\n"), "team-c");
            assertThat(emptied.changes()).filteredOn(c -> c.key().kind().equals("ConfigMap")).extracting(Change::detail)
                    .containsOnly("not pruned: rendering produced no objects");

            repo.write("c/a.yaml", Manifests.configMap("a", "k", "v")).commit("one object back");
            world.sandbox.clearRequests();
            BindingResult flagOff = world.reconcile(world.config(World.sources(repo) + binding), "team-c");

            assertThat(flagOff.changes()).filteredOn(c -> c.key().kind().equals("Namespace")).singleElement().satisfies(c -> {
                assertThat(c.action()).isEqualTo(Action.SKIPPED);
                assertThat(c.detail()).contains("only with pruneNamespaces: true");
            });
            assertThat(client.namespaces().withName("team-c").get()).isNotNull();
            assertThat(client.configMaps().inNamespace("team-c").withName("a").get()).isNotNull();
            assertThat(world.writes()).noneMatch(w -> w.method().equals("DELETE") && w.path().contains("/namespaces/team-c")
                    && !w.path().contains("/configmaps/"));
        }
    }

    @Test
    void withPruneNamespacesANamespaceIsDeletedOnlyWhenNothingButTheBindingsObjectsIsInIt() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            repo.write("x/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-x}\n")
                .write("x/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mine, namespace: team-x}\ndata: {k: v}\n")
                .write("x/keep.yaml", Manifests.configMap("keep", "k", "v"))
                .commit("a second namespace");
            String binding = World.binding("team-a", "x") + "    prune: true\n    maxPrune: 10\n    pruneNamespaces: true\n"
                    + "    allowNamespaces: [team-a, team-x]\n    allowClusterKinds: [Namespace]\n";
            DriftwardenConfig config = world.config(World.sources(repo) + binding);
            world.reconcile(config, "team-a");
            client.secrets().inNamespace("team-x").resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                    .withName("hand-made").endMetadata().build()).create();

            repo.delete("x/ns.yaml").delete("x/cm.yaml").commit("the namespace leaves Git");
            BindingResult held = world.reconcile(config, "team-a");

            assertThat(held.changes()).filteredOn(c -> c.key().kind().equals("Namespace")).singleElement().satisfies(c -> {
                assertThat(c.action()).isEqualTo(Action.SKIPPED);
                assertThat(c.detail()).contains("holds 1 object(s) that are not binding team-a's (Secret/team-x/hand-made)");
            });
            assertThat(client.namespaces().withName("team-x").get()).isNotNull();

            client.secrets().inNamespace("team-x").withName("hand-made").delete();
            BindingResult emptied = world.reconcile(config, "team-a");

            assertThat(emptied.changes()).extracting(c -> c.action() + " " + c.key().subject()).contains("DELETED Namespace/team-x");
        }
    }

    @Test
    void aDefinitionInOneTenantsRepositoryNeverReroutesAnotherBindingsKind() throws Exception {
        try (GitRepo a = world.repo("a"); GitRepo b = world.repo("b"); KubernetesClient client = world.sandbox.client()) {
            b.write("b/web.yaml", Manifests.deployment("web", 1, "nginx:1")).write("b/db.yaml", STATEFUL_SET)
             .write("b/one.yaml", Manifests.configMap("one", "k", "v")).write("b/two.yaml", Manifests.configMap("two", "k", "v"))
             .commit("team-b's application");
            // refused (team-a may not write CRDs), yet it once routed team-b's Deployments to /statefulsets for the whole run
            a.write("x/crd.yaml", definition("deployments.apps", "apps", "Namespaced", "Deployment", "statefulsets"))
             .write("x/cm.yaml", Manifests.configMap("settings", "k", "v"))
             .commit("an innocent-looking definition");
            DriftwardenConfig config = world.config("sources:\n  - name: srca\n    url: " + a.url() + "\n  - name: srcb\n    url: " + b.url()
                    + "\nbindings:\n" + World.binding("team-a", "x").replace("source: repo", "source: srca")
                    + World.binding("team-b", "b").replace("source: repo", "source: srcb") + "    prune: true\n    maxPrune: 10\n");
            world.reconcile(config, "team-b");
            world.sandbox.clearRequests();

            List<BindingResult> run = world.reconcileInOneRun(config, "team-a", "team-b");

            assertThat(run.get(0).changes()).extracting(c -> c.action() + " " + c.key().subject())
                    .contains("REFUSED CustomResourceDefinition/deployments.apps");
            assertThat(run.get(1).changes()).extracting(Change::action).doesNotContain(Action.DELETED);
            assertThat(world.sandbox.requests()).noneMatch(r -> r.path().contains("/apis/apps/v1/namespaces/team-b/statefulsets")
                    && !r.method().equals("GET"));
            assertThat(client.apps().statefulSets().inNamespace("team-b").withName("db").get()).isNotNull();
        }
    }

    @Test
    void theClustersWordOnAKindsScopeBeatsADefinitionInGitAndNothingIsSentForARefusedObject() throws Exception {
        try (GitRepo repo = world.repo("repo"); KubernetesClient client = world.sandbox.client()) {
            client.apiextensions().v1().customResourceDefinitions().resource(Serialization.unmarshal(
                    definition("clusterissuers.cert-manager.io", "cert-manager.io", "Cluster", "ClusterIssuer", "clusterissuers"),
                    CustomResourceDefinition.class)).create();
            client.configMaps().inNamespace("team-b").resource(new ConfigMapBuilder().withNewMetadata().withName("payments")
                    .endMetadata().addToData("owner", "team-b").build()).create();
            repo.write("a/crd.yaml", definition("clusterissuers.cert-manager.io", "cert-manager.io", "Namespaced", "ClusterIssuer", "clusterissuers"))
                .write("a/issuer.yaml", "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: everyone}\nspec: {selfSigned: {}}\n")
                .write("a/theirs.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: payments, namespace: team-b}\ndata: {owner: a}\n")
                .commit("a definition that lies about a served kind's scope");
            world.sandbox.clearRequests();

            BindingResult result = world.reconcile(world.config(World.sources(repo) + World.binding("team-a", "a")), "team-a");

            assertThat(result.changes()).extracting(c -> c.action() + " " + c.key().subject()).contains(
                    "REFUSED ClusterIssuer/everyone", "REFUSED ConfigMap/team-b/payments", "REFUSED CustomResourceDefinition/clusterissuers.cert-manager.io");
            assertThat(world.writes()).isEmpty(); // not even a dry-run reaches another namespace's admission
        }
    }

    @Test
    void aDefinitionCannotRouteARequestToAnotherKindOrOutOfItsPath() throws Exception {
        try (KubernetesClient client = world.sandbox.client(); io.driftwarden.jobs.live.Clusters clusters = new io.driftwarden.jobs.live.Clusters()) {
            client.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata()
                    .withName("admin").endMetadata().build()).create();
            var cluster = clusters.connect(world.config(World.sources(world.repo("repo")) + World.binding("team-a", "a")).cluster("sandbox"));
            cluster.declare(List.of(
                    Serialization.unmarshal(definition("roles.rbac.authorization.k8s.io", "rbac.authorization.k8s.io", "Cluster", "Role",
                            "clusterroles"), JsonNode.class),
                    Serialization.unmarshal(definition("things.evil.io", "evil.io", "Namespaced", "Thing",
                            "../../../../../api/v1/namespaces/team-b/secrets"), JsonNode.class)));
            world.sandbox.clearRequests();

            cluster.call(cluster.resources("rbac.authorization.k8s.io/v1", "Role").inNamespace("team-b").withName("admin")::delete);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster.resources("evil.io/v1", "Thing"))
                    .hasMessageContaining("the cluster does not serve evil.io/v1 Thing");

            assertThat(world.sandbox.requests()).filteredOn(r -> r.method().equals("DELETE")).extracting(r -> r.path())
                    .containsExactly("/apis/rbac.authorization.k8s.io/v1/namespaces/team-b/roles/admin");
            assertThat(world.sandbox.requests()).noneMatch(r -> r.path().contains(".."));
            assertThat(client.rbac().clusterRoles().withName("admin").get()).isNotNull();
        }
    }

    private static final String STATEFUL_SET = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: db, image: postgres:16}]}
            """;

    private static String definition(String name, String group, String scope, String kind, String plural) {
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: %s}
                spec:
                  group: %s
                  scope: %s
                  names: {kind: %s, plural: "%s"}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """.formatted(name, group, scope, kind, plural);
    }
}
