package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.driftwarden.sandbox.SandboxRequest;
import io.driftwarden.sandbox.rbac.Attributes;
import io.driftwarden.sandbox.rbac.Authorizer;
import io.driftwarden.sandbox.rbac.Authorizer.Grant;
import io.driftwarden.sandbox.rbac.Authorizer.Rule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code driftwarden rbac} (issue 20, item 2): the Roles and ClusterRole it prints allow every request a real run
 * sends — creating, correcting a hand edit, pruning, a CRD and its custom resource, a second namespace — and it
 * refuses a kind whose plural it cannot know.
 */
class RbacStoryIT {

    private static final String OBJECTS = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.acme.io}
            spec:
              group: acme.io
              scope: Namespaced
              names: {kind: Widget, plural: widgets, singular: widget}
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            ---
            apiVersion: acme.io/v1
            kind: Widget
            metadata: {name: gear}
            spec: {size: 3}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {colour: blue}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec: {containers: [{name: api, image: nginx}]}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: token, namespace: shop-jobs}
            stringData: {token: hunter2}
            """;

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("shop", "shop-jobs");

    @Test
    void everyRequestARunSendsIsAllowedByTheRulesItPrints() throws Exception {
        // given: a binding writing a CRD, a custom resource and built-in kinds into two namespaces, pruning
        Path repo = tmp.resolve("repo");
        CliE2E.repo(repo, "app/objects.yaml", OBJECTS, "app/old.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old}\n");
        Path config = config("""
                  - {name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, createNamespace: true, mode: enforce,
                     prune: true, allowNamespaces: [shop, shop-jobs], allowClusterKinds: [CustomResourceDefinition]}
                """);
        InProcess.Outcome rbac = InProcess.cli("rbac", "--config", config.toString(), "--service-account", "ops/reconciler");
        assertThat(rbac.exit()).as(rbac.all()).isZero();
        List<Grant> granted = grants(rbac.out());

        // when: a run creates everything, a hand edit is made and an object leaves Git, a second run corrects and prunes
        stage.sandbox().clearRequests();
        InProcess.Outcome created = InProcess.cli("run", "--config", config.toString());
        assertThat(created.exit()).as(created.all()).isZero();
        List<SandboxRequest> sent = new ArrayList<>(stage.sandbox().requests());
        try (Git git = Git.open(repo.toFile()); KubernetesClient client = stage.sandbox().client()) {
            client.configMaps().inNamespace("shop").withName("settings").edit(c -> {
                c.getData().put("by-hand", "yes");
                return c;
            });
            git.rm().addFilepattern("app/old.yaml").call();
            git.commit().setMessage("old leaves Git").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").setSign(false).call();
        }
        stage.sandbox().clearRequests(); // the hand edit's requests are not the run's
        InProcess.Outcome corrected = InProcess.cli("run", "--config", config.toString());
        assertThat(corrected.exit()).as(corrected.all()).isIn(ExitCodes.OK, ExitCodes.DRIFT);
        assertThat(corrected.out()).containsPattern("ConfigMap/shop/old\\s+EXTRA\\s+DELETED");
        sent.addAll(stage.sandbox().requests());

        // then: every (verb, resource, namespace) sent is granted, and the grants are for the ServiceAccount asked for
        List<Attributes> needed = sent.stream().flatMap(r -> Attributes.of(r).stream()).distinct().toList();
        assertThat(needed.stream().map(Attributes::toString)).contains("list core/namespaces",
                "patch apiextensions.k8s.io/customresourcedefinitions named widgets.acme.io", "list apiextensions.k8s.io/customresourcedefinitions",
                "patch acme.io/widgets in shop named gear", "create apps/deployments in shop named api",
                "create core/secrets in shop-jobs named token", "delete core/configmaps in shop named old");
        assertThat(needed).allSatisfy(need -> assertThat(Authorizer.allows(granted, need)).as(need + " by " + granted).isTrue());
        assertThat(rbac.out()).contains("kind: ClusterRoleBinding", "name: reconciler", "namespace: ops")
                .doesNotContain("'*'", "- '*'");
    }

    @Test
    void withInventoryThePruneOfAKindThatLeftGitEntirelyIsAllowed() throws Exception {
        // given: a pruning binding that applied a ConfigMap and a Secret, then the Secret (its whole kind) left Git
        Path repo = tmp.resolve("repo");
        CliE2E.repo(repo, "app/settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n",
                "app/token.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: token}\nstringData: {token: hunter2}\n");
        Path config = config("  - {name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce, prune: true}\n");
        assertThat(InProcess.cli("run", "--config", config.toString()).exit()).isZero();
        try (Git git = Git.open(repo.toFile())) {
            git.rm().addFilepattern("app/token.yaml").call();
            git.commit().setMessage("the token leaves Git").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").setSign(false).call();
        }
        List<Grant> fromGit = grants(InProcess.cli("rbac", "--config", config.toString()).out());
        InProcess.Outcome rbac = InProcess.cli("rbac", "--config", config.toString(), "--inventory");
        assertThat(rbac.exit()).as(rbac.all()).isZero();
        List<Grant> withInventory = grants(rbac.out());

        // when: the next run prunes the Secret
        stage.sandbox().clearRequests();
        InProcess.Outcome pruned = InProcess.cli("run", "--config", config.toString());
        assertThat(pruned.exit()).as(pruned.all()).isZero();
        assertThat(pruned.out()).containsPattern("Secret/shop/token\\s+EXTRA\\s+DELETED");
        List<Attributes> needed = stage.sandbox().requests().stream().flatMap(r -> Attributes.of(r).stream()).distinct().toList();

        // then: the rules read from Git alone miss it, the rules with the inventory allow every request
        Attributes deleteToken = Attributes.resource("delete", "", "secrets", "", "shop", "token");
        assertThat(needed).contains(Attributes.resource("list", "", "secrets", "", "shop", ""), deleteToken);
        assertThat(Authorizer.allows(fromGit, deleteToken)).isFalse();
        assertThat(needed).allSatisfy(need -> assertThat(Authorizer.allows(withInventory, need)).as(need + " by " + withInventory).isTrue());
    }

    @Test
    void aKindWhosePluralIsUnknownIsAnError() throws Exception {
        CliE2E.repo(tmp.resolve("repo"), "app/objects.yaml", "apiVersion: acme.io/v1\nkind: Gadget\nmetadata: {name: g}\n");
        Path config = config("  - {name: shop, source: repo, path: app, cluster: sandbox, namespace: shop}\n");
        stage.sandbox().clearRequests();

        InProcess.Outcome rbac = InProcess.cli("rbac", "--config", config.toString());

        assertThat(rbac.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(rbac.err()).contains("no plural known for Gadget (acme.io/v1)", "app/objects.yaml:1");
        assertThat(rbac.out()).isEmpty();
        assertThat(stage.sandbox().requests()).isEmpty();
    }

    private Path config(String bindings) throws Exception {
        return Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings:
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig")))
                + bindings);
    }

    /** The printed Roles and ClusterRole as the grants they give (each printed binding names the account asked for). */
    @SuppressWarnings("unchecked")
    private static List<Grant> grants(String yaml) {
        List<Grant> grants = new ArrayList<>(List.of(Authorizer.DISCOVERY));
        for (Object document : new Yaml().loadAll(yaml)) {
            Map<String, Object> object = (Map<String, Object>) document;
            if (!List.of("Role", "ClusterRole").contains(object.get("kind"))) {
                continue;
            }
            String namespace = (String) ((Map<String, Object>) object.get("metadata")).get("namespace");
            List<Rule> rules = ((List<Map<String, Object>>) object.get("rules")).stream().map(rule -> Rule.of((List<String>) rule.get("verbs"),
                    (List<String>) rule.get("apiGroups"), (List<String>) rule.get("resources"), List.of())).toList();
            grants.add(new Grant(namespace, object.get("kind") + " in " + namespace, rules));
        }
        return grants;
    }
}
