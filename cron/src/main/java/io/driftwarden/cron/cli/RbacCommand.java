package io.driftwarden.cron.cli;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.chart.RemoteCharts;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.driftwarden.jobs.lifecycle.Runs;
import io.driftwarden.jobs.rbac.RbacRules;
import io.driftwarden.jobs.rbac.RbacRules.Grants;
import io.driftwarden.jobs.rbac.RbacRules.Resource;
import io.driftwarden.jobs.render.RenderException;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.source.SourceRevision;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code driftwarden rbac}: the least-privilege RBAC the configured bindings need, as YAML — per namespace a Role and a
 * RoleBinding, and a ClusterRole and ClusterRoleBinding, all for one ServiceAccount. Every binding is rendered from
 * Git as {@code render} does; no cluster is contacted.
 */
@Command(name = "rbac", mixinStandardHelpOptions = true,
        description = "Print the least-privilege RBAC the bindings need (a Role and RoleBinding per namespace they write, a "
                + "ClusterRole and ClusterRoleBinding for the Namespaces and the cluster-scoped kinds they may write) for one "
                + "ServiceAccount, as YAML. Renders every binding from Git; contacts no cluster.")
public class RbacCommand implements Callable<Integer> {

    static final String NAME = "driftwarden";
    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--service-account", paramLabel = "NS/NAME", description = "Who is granted: NAMESPACE/NAME (default: driftwarden/driftwarden).")
    String serviceAccount = "driftwarden/driftwarden";

    @Override
    public Integer call() {
        String[] account = serviceAccount.split("/", -1);
        if (account.length != 2 || account[0].isEmpty() || account[1].isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--service-account must be NAMESPACE/NAME, not '" + serviceAccount + "'");
        }
        DriftwardenConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SourceReader sources = new SourceReader(Runs.defaultGitCache(), loaded.limits());
        Renderer renderer = new Renderer(loaded.kustomizeCommand(), loaded.limits())
                .withCharts(new RemoteCharts(Runs.defaultGitCache().resolve("charts")));
        List<RbacRules.Rendered> rendered = new ArrayList<>();
        for (BindingSpec binding : loaded.bindings()) {
            try {
                SourceRevision revision = sources.resolve(loaded.source(binding.source()));
                rendered.add(new RbacRules.Rendered(binding, loaded.cluster(binding.cluster()).listByLabel(),
                        renderer.render(sources.at(revision), binding)));
            } catch (RenderException e) {
                err.println("error: binding " + binding.name() + ": manifests do not render:");
                e.problems().forEach(problem -> err.println("  " + problem));
                err.flush();
                return ExitCodes.FAILED;
            }
        }
        Grants grants = RbacRules.of(rendered);
        grants.notes().forEach(note -> err.println("note: " + note));
        if (!grants.problems().isEmpty()) {
            grants.problems().forEach(problem -> err.println("error: " + problem));
            err.flush();
            return ExitCodes.FAILED;
        }
        err.flush();
        out.print(yaml(grants, account[0], account[1]));
        out.flush();
        return ExitCodes.OK;
    }

    /** The ClusterRole and its binding, then per namespace a Role and its binding, as YAML documents. */
    static String yaml(Grants grants, String accountNamespace, String accountName) {
        List<Map<String, Object>> documents = new ArrayList<>();
        documents.add(role("ClusterRole", null, grants.clusterWide()));
        documents.add(binding("ClusterRoleBinding", null, "ClusterRole", accountNamespace, accountName));
        grants.namespaced().forEach((namespace, rules) -> {
            documents.add(role("Role", namespace, rules));
            documents.add(binding("RoleBinding", namespace, "Role", accountNamespace, accountName));
        });
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setExplicitStart(true);
        options.setSplitLines(false);
        return new Yaml(options).dumpAll(documents.iterator());
    }

    private static Map<String, Object> role(String kind, String namespace, SortedMap<Resource, SortedSet<String>> rules) {
        Map<String, Object> role = header(kind, namespace);
        List<Map<String, Object>> list = new ArrayList<>();
        rules.forEach((resource, verbs) -> {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("apiGroups", List.of(resource.apiGroup()));
            rule.put("resources", List.of(resource.resource()));
            rule.put("verbs", List.copyOf(verbs));
            list.add(rule);
        });
        role.put("rules", list);
        return role;
    }

    private static Map<String, Object> binding(String kind, String namespace, String roleKind, String accountNamespace, String accountName) {
        Map<String, Object> binding = header(kind, namespace);
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("kind", "ServiceAccount");
        subject.put("name", accountName);
        subject.put("namespace", accountNamespace);
        binding.put("subjects", List.of(subject));
        Map<String, Object> roleRef = new LinkedHashMap<>();
        roleRef.put("apiGroup", RBAC_GROUP);
        roleRef.put("kind", roleKind);
        roleRef.put("name", NAME);
        binding.put("roleRef", roleRef);
        return binding;
    }

    private static Map<String, Object> header(String kind, String namespace) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("apiVersion", RBAC_GROUP + "/v1");
        document.put("kind", kind);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", NAME);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        document.put("metadata", metadata);
        return document;
    }
}
