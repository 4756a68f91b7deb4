package io.driftwarden.sandbox.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.sandbox.SandboxRequest;
import io.driftwarden.sandbox.rbac.Authorizer.Grant;
import io.driftwarden.sandbox.rbac.Authorizer.Rule;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * RBAC's decision, one row per case (sources in {@link Authorizer} and {@link Attributes}): what a rule matches, the
 * scope of a Role and of a ClusterRole bound by a RoleBinding, wildcards, subresources, resource names, and the
 * requests that must not slip through (another namespace, cluster-wide under a namespaced grant, a subresource under
 * its resource's rule, create under resourceNames).
 */
class AuthorizerTest {

    private static final Grant SHOP = new Grant("shop", "Role shop", List.of(
            Rule.of(List.of("list", "patch", "create"), List.of("apps"), List.of("deployments"), List.of()),
            Rule.of(List.of("get"), List.of(""), List.of("configmaps"), List.of("settings")),
            Rule.of(List.of("update"), List.of("apps"), List.of("*/status"), List.of())));
    private static final Grant CLUSTER = new Grant(null, "ClusterRole", List.of(
            Rule.of(List.of("list", "create"), List.of(""), List.of("namespaces"), List.of()),
            Rule.of(List.of("*"), List.of("acme.io"), List.of("*"), List.of())));

    @Test
    void decidesEachRequestAsTheRbacAuthorizerDoes() {
        String table = """
                patch    apps        deployments              shop        api       | true   in the Role's namespace
                patch    apps        deployments              other       api       | false  another namespace
                list     apps        deployments              -           -         | false  across namespaces under a namespaced grant
                delete   apps        deployments              shop        api       | false  a verb not granted
                patch    extensions  deployments              shop        api       | false  another API group
                patch    apps        deployments/scale        shop        api       | false  a subresource needs its own rule
                update   apps        deployments/status       shop        api       | true   */status matches every resource's status
                get      -           configmaps               shop        settings  | true   a named object the rule names
                get      -           configmaps               shop        other     | false  another name
                list     -           configmaps               shop        -         | false  resourceNames cannot allow a list
                create   -           namespaces               -           shop      | true   the ClusterRole: cluster-scoped
                list     -           namespaces               -           -         | true   the ClusterRole: a list
                delete   -           namespaces               -           shop      | false  a verb the ClusterRole lacks
                delete   acme.io     widgets                  shop        gear      | true   '*' verbs and resources in one group
                delete   acme.io.evil widgets                 shop        gear      | false  '*' stays in its group
                """;
        assertThat(decide(table, List.of(SHOP, CLUSTER))).isEqualTo(expected(table));
    }

    @Test
    void aClusterRoleBoundByARoleBindingGrantsInThatNamespaceOnly() {
        Grant viaRoleBinding = new Grant("shop", "ClusterRole edit by RoleBinding", List.of(
                Rule.of(List.of("*"), List.of("*"), List.of("*"), List.of())));
        String table = """
                delete   -     secrets      shop     token   | true   in the binding's namespace
                delete   -     secrets      kube-system token | false  outside it
                create   -     namespaces   -        evil    | false  nothing cluster-scoped
                """;
        assertThat(decide(table, List.of(viaRoleBinding))).isEqualTo(expected(table));
    }

    @Test
    void nonResourceUrlsFollowTheirRulesAndDiscoveryIsEveryonesAndNamespacedGrantsGiveNone() {
        assertThat(Authorizer.allows(List.of(Authorizer.DISCOVERY), Attributes.nonResource("get", "/apis/apps/v1"))).isTrue();
        assertThat(Authorizer.allows(List.of(Authorizer.DISCOVERY), Attributes.nonResource("get", "/openapi/v3"))).isTrue();
        assertThat(Authorizer.allows(List.of(Authorizer.DISCOVERY), Attributes.nonResource("get", "/metrics"))).isFalse();
        assertThat(Authorizer.allows(List.of(Authorizer.DISCOVERY), Attributes.nonResource("post", "/api"))).isFalse();
        Grant everything = new Grant("shop", "Role", List.of(new Rule(List.of("*"), List.of(), List.of(), List.of(), List.of("*"))));
        assertThat(Authorizer.allows(List.of(everything), Attributes.nonResource("get", "/metrics"))).isFalse();
    }

    @Test
    void mapsHttpRequestsToVerbsAsTheApiServerDoes() {
        String table = """
                GET    /api/v1/namespaces/shop/configmaps?labelSelector=a%3Db          | list core/configmaps in shop
                GET    /api/v1/namespaces/shop/configmaps/settings                     | get core/configmaps in shop named settings
                GET    /api/v1/configmaps?watch=true                                   | watch core/configmaps
                GET    /api/v1/watch/namespaces/shop/configmaps                        | watch core/configmaps in shop
                GET    /api/v1/namespaces                                              | list core/namespaces
                GET    /api/v1/namespaces/shop                                         | get core/namespaces in shop named shop
                PUT    /api/v1/namespaces/shop/finalize                                | update core/namespaces/finalize in shop named shop
                POST   /api/v1/namespaces                                              | create core/namespaces
                PATCH  /apis/apps/v1/namespaces/shop/deployments/api?dryRun=All        | patch apps/deployments in shop named api
                PATCH  /apis/apps/v1/namespaces/shop/deployments/api/scale             | patch apps/deployments/scale in shop named api
                DELETE /apis/acme.io/v1/namespaces/shop/widgets/gear                   | delete acme.io/widgets in shop named gear
                DELETE /api/v1/namespaces/shop/pods                                    | deletecollection core/pods in shop
                GET    /apis/apiextensions.k8s.io/v1/customresourcedefinitions/w.acme.io | get apiextensions.k8s.io/customresourcedefinitions named w.acme.io
                GET    /apis/apps/v1                                                   | get /apis/apps/v1
                GET    /openapi/v3                                                     | get /openapi/v3
                """;
        String actual = table.lines().map(line -> {
            String[] request = line.split("\\|")[0].trim().split("\\s+");
            return line.split("\\|")[0] + "| " + Attributes.of(new SandboxRequest(request[0], request[1], null)).stream()
                    .map(Attributes::toString).collect(Collectors.joining(", "));
        }).collect(Collectors.joining("\n", "", "\n"));
        assertThat(actual).isEqualTo(table);
    }

    @Test
    void aServerSideApplyIsAPatchThatMayCreateSoItNeedsBoth() {
        assertThat(Attributes.of(new SandboxRequest("PATCH", "/apis/apps/v1/namespaces/shop/deployments/api?fieldManager=driftwarden&force=true",
                "application/apply-patch+yaml")).stream().map(Attributes::verb)).containsExactly("patch", "create");
        assertThat(Attributes.of(new SandboxRequest("PATCH", "/api/v1/namespaces/shop/configmaps/settings", "application/json-patch+json"))
                .stream().map(Attributes::verb)).containsExactly("patch");
    }

    /** Each row "verb group resource[/sub] namespace name | expected why" decided; '-' is empty. */
    private static String decide(String table, List<Grant> grants) {
        return table.lines().map(line -> {
            String[] f = line.split("\\|")[0].trim().split("\\s+");
            String[] resource = f[2].split("/", 2);
            Attributes request = Attributes.resource(f[0], dash(f[1]), resource[0], resource.length > 1 ? resource[1] : "", dash(f[3]), dash(f[4]));
            return line.split("\\|")[0].trim() + " | " + Authorizer.allows(grants, request);
        }).collect(Collectors.joining("\n"));
    }

    private static String expected(String table) {
        return table.lines().map(line -> line.split("\\|")[0].trim() + " | " + line.split("\\|")[1].trim().split("\\s+")[0])
                .collect(Collectors.joining("\n"));
    }

    private static String dash(String field) {
        return field.equals("-") ? "" : field;
    }
}
