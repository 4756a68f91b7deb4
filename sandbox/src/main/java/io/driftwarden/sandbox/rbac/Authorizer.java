package io.driftwarden.sandbox.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Kubernetes' RBAC authorizer as a pure function: whether the rules bound to a subject allow a request's
 * {@link Attributes}. RBAC only adds permissions; a request is allowed when one rule of one grant matches it.
 *
 * <p>Sources: the RBAC documentation (https://kubernetes.io/docs/reference/access-authn-authz/rbac/: a Role grants in
 * its own namespace; a ClusterRole grants cluster-wide through a ClusterRoleBinding and in one namespace through a
 * RoleBinding; {@code resourceNames} restrict a rule to named objects, so they cannot allow create, list, watch or
 * deletecollection, which carry no name; {@code *} matches every value) and the matching of
 * k8s.io/kubernetes/pkg/apis/rbac/v1/evaluation_helpers.go ({@code VerbMatches}, {@code APIGroupMatches},
 * {@code ResourceMatches} with {@code resource/subresource} and {@code *}{@code /subresource}, {@code ResourceNameMatches},
 * {@code NonResourceURLMatches} with a trailing {@code *}). Not modelled: aggregated ClusterRoles, groups and users as
 * subjects, and authorizers other than RBAC.
 */
public final class Authorizer {

    /** One rule of a Role or ClusterRole; empty lists stand for fields the rule does not set. */
    public record Rule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
                       List<String> nonResourceURLs) {
        public Rule {
            verbs = List.copyOf(verbs);
            apiGroups = List.copyOf(apiGroups);
            resources = List.copyOf(resources);
            resourceNames = List.copyOf(resourceNames);
            nonResourceURLs = List.copyOf(nonResourceURLs);
        }

        /** A resource rule. */
        public static Rule of(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames) {
            return new Rule(verbs, apiGroups, resources, resourceNames, List.of());
        }

        static Rule of(PolicyRule rule) {
            return new Rule(orEmpty(rule.getVerbs()), orEmpty(rule.getApiGroups()), orEmpty(rule.getResources()),
                    orEmpty(rule.getResourceNames()), orEmpty(rule.getNonResourceURLs()));
        }
    }

    /** Rules in force for a subject: in one namespace (a Role, or a ClusterRole bound by a RoleBinding), or cluster-wide (null). */
    public record Grant(String namespace, String source, List<Rule> rules) {
        public Grant {
            rules = List.copyOf(rules);
        }
    }

    /**
     * What every authenticated subject may read without a grant of its own: the {@code system:discovery} and
     * {@code system:public-info-viewer} ClusterRoles bound to {@code system:authenticated} (k8s.io/kubernetes/
     * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go).
     */
    public static final Grant DISCOVERY = new Grant(null, "ClusterRole system:discovery, system:public-info-viewer", List.of(
            new Rule(List.of("get"), List.of(), List.of(), List.of(), List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez",
                    "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))));

    private Authorizer() {
    }

    /** Whether one of {@code grants} allows {@code request}. */
    public static boolean allows(List<Grant> grants, Attributes request) {
        return grants.stream().anyMatch(grant -> allows(grant, request));
    }

    /** Whether {@code grant} allows {@code request}: a namespaced grant only requests in its namespace, and never non-resource ones. */
    public static boolean allows(Grant grant, Attributes request) {
        if (grant.namespace() != null && (!request.isResourceRequest() || !grant.namespace().equals(request.namespace()))) {
            return false;
        }
        return grant.rules().stream().anyMatch(rule -> allows(rule, request));
    }

    /** Whether one rule matches {@code request} (evaluation_helpers.go's RuleAllows). */
    public static boolean allows(Rule rule, Attributes request) {
        if (!matches(rule.verbs(), request.verb())) {
            return false;
        }
        if (!request.isResourceRequest()) {
            return rule.nonResourceURLs().stream().anyMatch(url -> url.equals("*") || url.equals(request.path())
                    || url.endsWith("*") && request.path().startsWith(url.substring(0, url.length() - 1)));
        }
        return matches(rule.apiGroups(), request.apiGroup())
                && resourceMatches(rule.resources(), request.resource(), request.subresource())
                && (rule.resourceNames().isEmpty() || rule.resourceNames().contains(request.name()) && !request.name().isEmpty());
    }

    private static boolean matches(List<String> allowed, String value) {
        return allowed.contains("*") || allowed.contains(value);
    }

    private static boolean resourceMatches(List<String> allowed, String resource, String subresource) {
        String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
        for (String rule : allowed) {
            if (rule.equals("*") || rule.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty() && rule.equals("*/" + subresource)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The grants bound to the ServiceAccount {@code namespace/name} by these objects (as read from a cluster), plus
     * {@link #DISCOVERY}. A binding whose role does not exist grants nothing, as on a real server.
     */
    public static List<Grant> grantsOf(String namespace, String name, List<Role> roles, List<ClusterRole> clusterRoles,
                                       List<RoleBinding> roleBindings, List<ClusterRoleBinding> clusterRoleBindings) {
        List<Grant> grants = new ArrayList<>(List.of(DISCOVERY));
        for (RoleBinding binding : roleBindings) {
            if (!names(binding.getSubjects(), namespace, name)) {
                continue;
            }
            String bindingNamespace = binding.getMetadata().getNamespace();
            RoleRef ref = binding.getRoleRef();
            List<PolicyRule> rules = ref.getKind().equals("Role")
                    ? roles.stream().filter(r -> r.getMetadata().getName().equals(ref.getName()) && bindingNamespace.equals(r.getMetadata().getNamespace()))
                            .findFirst().map(Role::getRules).orElse(List.of())
                    : clusterRoles.stream().filter(r -> r.getMetadata().getName().equals(ref.getName())).findFirst().map(ClusterRole::getRules).orElse(List.of());
            grants.add(new Grant(bindingNamespace, ref.getKind() + " " + ref.getName() + " by RoleBinding " + bindingNamespace + "/"
                    + binding.getMetadata().getName(), rules.stream().map(Rule::of).toList()));
        }
        for (ClusterRoleBinding binding : clusterRoleBindings) {
            RoleRef ref = binding.getRoleRef();
            if (!names(binding.getSubjects(), namespace, name) || !ref.getKind().equals("ClusterRole")) {
                continue;
            }
            List<PolicyRule> rules = clusterRoles.stream().filter(r -> r.getMetadata().getName().equals(ref.getName())).findFirst()
                    .map(ClusterRole::getRules).orElse(List.of());
            grants.add(new Grant(null, "ClusterRole " + ref.getName() + " by ClusterRoleBinding " + binding.getMetadata().getName(),
                    rules.stream().map(Rule::of).toList()));
        }
        return grants;
    }

    private static boolean names(List<Subject> subjects, String namespace, String name) {
        return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind()) && name.equals(s.getName())
                && Objects.equals(namespace, s.getNamespace()));
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }
}
