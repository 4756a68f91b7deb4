package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditLog;
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
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.source.SourceRevision;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * RoleBinding, and a ClusterRole and ClusterRoleBinding, all for one ServiceAccount; first the Namespaces the Roles live
 * in, since a Role cannot be created before its namespace. Every binding is rendered from
 * Git as {@code render} does; no cluster is contacted.
 */
@Command(name = "rbac", mixinStandardHelpOptions = true,
        description = "Print the least-privilege RBAC the bindings need (a Role and RoleBinding per namespace they write, a "
                + "ClusterRole and ClusterRoleBinding for the Namespaces and the cluster-scoped kinds they may write) for one "
                + "ServiceAccount, as YAML, after the Namespaces the Roles live in (so that they apply on a fresh cluster). "
                + "Renders every binding from Git; contacts no cluster.")
public class RbacCommand implements Callable<Integer> {

    static final String NAME = "driftwarden";
    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--inventory", description = "Also grant list and delete on what the pruning bindings' inventories hold "
            + "(reads the audit store of --config), so that a prune still works after a kind left Git entirely.")
    boolean inventory;

    @Option(names = "--service-account", paramLabel = "NS/NAME", description = "Who is granted: NAMESPACE/NAME (default: driftwarden/driftwarden).")
    String serviceAccount = "driftwarden/driftwarden";

    @Override
    public Integer call() throws Exception {
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
        Map<String, List<ResourceKey>> held = inventory ? held(loaded) : Map.of();
        List<RbacRules.Rendered> rendered = new ArrayList<>();
        for (BindingSpec binding : loaded.bindings()) {
            try {
                SourceRevision revision = sources.resolve(loaded.source(binding.source()));
                rendered.add(new RbacRules.Rendered(binding, loaded.cluster(binding.cluster()).listByLabel(),
                        renderer.render(sources.at(revision), binding), held.getOrDefault(binding.name(), List.of())));
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
        out.print(yaml(grants, owners(rendered), account[0], account[1]));
        out.flush();
        return ExitCodes.OK;
    }

    /** Per pruning binding, what its inventory holds, from the audit store of the config. */
    private static Map<String, List<ResourceKey>> held(DriftwardenConfig config) throws Exception {
        Map<String, List<ResourceKey>> held = new TreeMap<>();
        try (AuditLog audit = AuditLog.open(config.audit(), Clock.systemUTC())) {
            for (BindingSpec binding : config.bindings()) {
                if (binding.prune()) {
                    held.put(binding.name(), audit.inventory().of(binding.name()).stream()
                            .map(e -> ResourceKey.of(e.apiVersion(), e.kind(), e.namespace(), e.name())).toList());
                }
            }
        }
        return held;
    }

    /**
     * Which binding declares each Namespace (in Git or by {@code createNamespace}); a Namespace two bindings declare has
     * no single owner and is left out.
     */
    static Map<String, String> owners(List<RbacRules.Rendered> rendered) {
        Map<String, String> owners = new TreeMap<>();
        Set<String> shared = new TreeSet<>();
        for (RbacRules.Rendered binding : rendered) {
            for (DesiredObject object : binding.objects()) {
                if (object.key().group().isEmpty() && object.key().kind().equals("Namespace")) {
                    String first = owners.putIfAbsent(object.key().name(), binding.binding().name());
                    if (first != null && !first.equals(binding.binding().name())) {
                        shared.add(object.key().name());
                    }
                }
            }
        }
        shared.forEach(owners::remove);
        return owners;
    }

    /**
     * Per namespace granted a Namespace (so that its Role applies on a fresh cluster, where the bindings have not yet
     * created it) — labelled as the binding's that declares it, so that this binding takes it as its own rather than
     * refusing an unlabelled existing Namespace — the ClusterRole and its binding, then per namespace a Role and its
     * binding, as YAML documents.
     */
    static String yaml(Grants grants, Map<String, String> owners, String accountNamespace, String accountName) {
        List<Map<String, Object>> documents = new ArrayList<>();
        grants.namespaced().keySet().forEach(namespace -> {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("apiVersion", "v1");
            document.put("kind", "Namespace");
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("name", namespace);
            if (owners.containsKey(namespace)) {
                Map<String, Object> labels = new LinkedHashMap<>();
                labels.put(Renderer.MANAGED_BY, "driftwarden");
                labels.put(Renderer.BINDING_LABEL, owners.get(namespace));
                metadata.put("labels", labels);
            }
            document.put("metadata", metadata);
            documents.add(document);
        });
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
