package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.driftwarden.sandbox.SandboxRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
        Set<String> granted = granted(rbac.out());

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
        List<String> needed = sent.stream().flatMap(r -> needs(r).stream()).distinct().toList();
        assertThat(needed).contains("list||namespaces|", "patch|apiextensions.k8s.io|customresourcedefinitions|",
                "list|apiextensions.k8s.io|customresourcedefinitions|", "patch|acme.io|widgets|shop", "create|apps|deployments|shop",
                "create||secrets|shop-jobs", "delete||configmaps|shop");
        assertThat(needed).allSatisfy(need -> assertThat(allowed(need, granted)).as(need + " in " + granted).isTrue());
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
        Set<String> fromGit = granted(InProcess.cli("rbac", "--config", config.toString()).out());
        InProcess.Outcome rbac = InProcess.cli("rbac", "--config", config.toString(), "--inventory");
        assertThat(rbac.exit()).as(rbac.all()).isZero();
        Set<String> withInventory = granted(rbac.out());

        // when: the next run prunes the Secret
        stage.sandbox().clearRequests();
        InProcess.Outcome pruned = InProcess.cli("run", "--config", config.toString());
        assertThat(pruned.exit()).as(pruned.all()).isZero();
        assertThat(pruned.out()).containsPattern("Secret/shop/token\\s+EXTRA\\s+DELETED");
        List<String> needed = stage.sandbox().requests().stream().flatMap(r -> needs(r).stream()).distinct().toList();

        // then: the rules read from Git alone miss it, the rules with the inventory allow every request
        assertThat(needed).contains("list||secrets|shop", "delete||secrets|shop");
        assertThat(allowed("delete||secrets|shop", fromGit)).isFalse();
        assertThat(needed).allSatisfy(need -> assertThat(allowed(need, withInventory)).as(need + " in " + withInventory).isTrue());
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

    /** Every rule printed, as "verb|group|resource|namespace" (namespace empty for the ClusterRole's). */
    @SuppressWarnings("unchecked")
    private static Set<String> granted(String yaml) {
        Set<String> granted = new TreeSet<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            Map<String, Object> object = (Map<String, Object>) document;
            if (!List.of("Role", "ClusterRole").contains(object.get("kind"))) {
                continue;
            }
            Object namespace = ((Map<String, Object>) object.get("metadata")).get("namespace");
            for (Map<String, Object> rule : (List<Map<String, Object>>) object.get("rules")) {
                for (String group : (List<String>) rule.get("apiGroups")) {
                    for (String resource : (List<String>) rule.get("resources")) {
                        for (String verb : (List<String>) rule.get("verbs")) {
                            granted.add(verb + "|" + group + "|" + resource + "|" + (namespace == null ? "" : namespace));
                        }
                    }
                }
            }
        }
        return granted;
    }

    /** A namespaced need is met by its namespace's Role or by the ClusterRole; a cluster-wide one by the ClusterRole only. */
    private static boolean allowed(String need, Set<String> granted) {
        return granted.contains(need) || granted.contains(need.substring(0, need.lastIndexOf('|') + 1));
    }

    /**
     * What RBAC authorizes a request as: "verb|group|resource|namespace". GET of a collection → list, of an object → get,
     * watch=true → watch, PATCH → patch (a server-side apply also create: it may create the object), DELETE → delete,
     * POST → create, PUT → update. Discovery and other non-resource paths need no grant here.
     */
    static List<String> needs(SandboxRequest request) {
        String path = request.path();
        String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
        List<String> segments = List.of((path.contains("?") ? path.substring(0, path.indexOf('?')) : path).replaceAll("^/+", "").split("/"));
        int skip = segments.get(0).equals("api") ? 2 : segments.get(0).equals("apis") ? 3 : -1;
        if (skip < 0 || segments.size() <= skip) {
            return List.of();
        }
        String group = segments.get(0).equals("api") ? "" : segments.get(1);
        List<String> rest = segments.subList(skip, segments.size());
        String namespace = "";
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
        boolean collection = rest.size() == 1;
        List<String> verbs = switch (request.method()) {
            case "GET" -> List.of(query.contains("watch=true") ? "watch" : collection ? "list" : "get");
            case "PATCH" -> String.valueOf(request.contentType()).startsWith("application/apply-patch") ? List.of("patch", "create") : List.of("patch");
            case "DELETE" -> List.of("delete");
            case "POST" -> List.of("create");
            case "PUT" -> List.of("update");
            default -> List.of(request.method().toLowerCase(java.util.Locale.ROOT));
        };
        String ns = namespace;
        return verbs.stream().map(verb -> verb + "|" + group + "|" + resource + "|" + ns).toList();
    }
}
