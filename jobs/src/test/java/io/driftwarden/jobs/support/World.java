package io.driftwarden.jobs.support;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.AuditSettings;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.Reconciler;
import io.driftwarden.jobs.RunContext;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.sandbox.Sandbox;
import io.driftwarden.sandbox.SandboxRequest;
import io.driftwarden.jobs.source.SourceReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A sandbox cluster, an H2-file audit store and Git repositories in a temp dir: everything a reconcile touches,
 * real but local. The sandbox cannot prove field ownership, defaults, admission or controllers.
 */
public final class World implements AutoCloseable {

    public final Path dir;
    public final Sandbox sandbox;
    public final AuditLog audit;
    public final String auditUrl;
    private final Path kubeconfig;
    private int runs;

    public World(Path dir) throws Exception {
        this.dir = dir;
        this.sandbox = Sandbox.start(0);
        this.kubeconfig = sandbox.writeKubeconfig(dir.resolve("kubeconfig"));
        this.auditUrl = "jdbc:h2:file:" + dir.resolve("audit");
        this.audit = AuditLog.open(new AuditSettings(auditUrl, "sa", null), Clock.systemUTC());
    }

    public GitRepo repo(String name) throws Exception {
        return GitRepo.init(dir.resolve(name));
    }

    /** A config with one cluster ({@code sandbox}) and the given sources and bindings sections. */
    public DriftwardenConfig config(String sourcesAndBindings) {
        return config(kubeconfig, "", sourcesAndBindings);
    }

    /** A config with one cluster ({@code sandbox}) reached through {@code kubeconfig}, with more of its keys. */
    public DriftwardenConfig config(Path kubeconfig, String clusterKeys, String sourcesAndBindings) {
        String text = """
                audit:
                  url: %s
                clusters:
                  - name: sandbox
                    kubeconfig: %s
                """.formatted(auditUrl, kubeconfig) + clusterKeys + sourcesAndBindings;
        return ConfigLoader.parse(text, dir.resolve("driftwarden.yaml"));
    }

    /** The config's {@code sources:} with one repository named {@code repo}, and the {@code bindings:} key after it. */
    public static String sources(GitRepo repo) {
        return "sources:\n  - name: repo\n    url: " + repo.url() + "\nbindings:\n";
    }

    /** An enforcing binding of {@code path} in source {@code repo} into namespace {@code name} of the sandbox. */
    public static String binding(String name, String path) {
        return """
                  - name: %s
                    source: repo
                    path: %s
                    cluster: sandbox
                    namespace: %s
                    mode: enforce
                """.formatted(name, path, name);
    }

    /** Reconciles one binding with the plain-Java pipeline, as one run. */
    public BindingResult reconcile(DriftwardenConfig config, String binding) {
        try (Clusters clusters = new Clusters()) {
            Reconciler reconciler = new Reconciler(config, new SourceReader(dir.resolve("git-cache"), config.limits()), clusters, audit);
            return reconciler.reconcile(config.binding(binding), new RunContext("run-" + (++runs), "manual"));
        }
    }

    /** Reconciles several bindings one after another in one run (one Reconciler, one set of cluster clients), as a run does. */
    public List<BindingResult> reconcileInOneRun(DriftwardenConfig config, String... bindings) {
        String runId = "run-" + (++runs);
        try (Clusters clusters = new Clusters()) {
            Reconciler reconciler = new Reconciler(config, new SourceReader(dir.resolve("git-cache"), config.limits()), clusters, audit);
            List<BindingResult> results = new ArrayList<>();
            for (String binding : bindings) {
                results.add(reconciler.reconcile(config.binding(binding), new RunContext(runId, "manual")));
            }
            return results;
        }
    }

    /** The run id {@link #reconcile} used last. */
    public String lastRunId() {
        return "run-" + runs;
    }

    public List<SandboxRequest> writes() {
        return sandbox.requests().stream().filter(SandboxRequest::isWrite).toList();
    }

    public List<SandboxRequest> lists() {
        return sandbox.requests().stream().filter(SandboxRequest::isList).toList();
    }

    public List<SandboxRequest> gets() {
        return sandbox.requests().stream().filter(SandboxRequest::isGet).toList();
    }

    /** Every column of every audit table row, as text: what a leak check must search. */
    public String everythingInTheAuditStore() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection connection = audit.dataSource().getConnection()) {
            for (String table : List.of("audit_event", "audit_run")) {
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            all.append(rows.getString(i)).append('|');
                        }
                        all.append('\n');
                    }
                }
            }
        }
        return all.toString();
    }

    /** The audit rows of one run as "EVENT subject" strings, in order. */
    public List<String> events(String runId) {
        List<String> events = new ArrayList<>();
        audit.records(io.driftwarden.audit.ReportFilter.all()).stream()
                .filter(r -> r.entry().runId().equals(runId))
                .forEach(r -> events.add(r.entry().event() + " " + r.subject()));
        return events;
    }

    @Override
    public void close() throws Exception {
        audit.close();
        sandbox.close();
    }
}
