package io.driftwarden.cron.demo;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.audit.report.ExceptionStatus;
import io.driftwarden.config.AuditSettings;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.cron.DriftwardenApplication;
import io.driftwarden.cron.cli.DiffStyle;
import io.driftwarden.cron.cli.Reports;
import io.driftwarden.cron.cli.RunPrinter;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.driftwarden.jobs.lifecycle.RunOutcome;
import io.driftwarden.jobs.lifecycle.RunRequest;
import io.driftwarden.jobs.lifecycle.Runs;
import io.driftwarden.sandbox.Sandbox;
import io.driftwarden.sandbox.SandboxRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code driftwarden demo}: sandbox + example repo + drift + correction + report, exit 0 when all went as shown. Its rows
 * go to its own store ({@code ./.driftwarden/demo/}, named by {@code ./.driftwarden/demo/driftwarden.yaml} for the
 * other commands' {@code --config}), so a user's first report of their own runs holds none of the demo's.
 */
@Command(name = "demo", description = "Show the whole story against an in-process sandbox: create, drift by hand, correct, report.",
        mixinStandardHelpOptions = true)
public class DemoCommand implements Callable<Integer> {

    static final List<String> EXAMPLES = List.of("namespace.yaml", "deployment.yaml", "service.yaml", "configmap.yaml", "secret.yaml");
    static final String NAMESPACE = "guestbook";
    /** The demo's own audit store, config and reports: never the default store a user's own runs write to. */
    static final Path HOME = Path.of(".driftwarden", "demo");
    static final Path REPORT = HOME.resolve("report.csv");
    static final Path HTML_REPORT = HOME.resolve("report.html");
    /** A config naming only the demo's store, so every command reads it with {@code --config}. */
    static final Path STORE_CONFIG = HOME.resolve("driftwarden.yaml");
    /** Five hand edits touch four objects: the Deployment is scaled and given another image. */
    static final int HAND_EDITED_OBJECTS = 4;
    /** How soon the sandbox's controllers roll out what a run wrote: InProgress at the first health read, Current soon after. */
    static final java.time.Duration CONTROLLER_DELAY = java.time.Duration.ofMillis(800);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Write the demo's audit rows to the audit store of FILE "
            + "(default: its own store under ./.driftwarden/demo/, never the default store ./.driftwarden/audit).")
    Path storeConfig;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("driftwarden-demo-");
        Instant started = Instant.now();
        try (Sandbox sandbox = Sandbox.start(0).statusDelay(CONTROLLER_DELAY)) {
            String commit = commitExamples(work.resolve("repo"));
            DriftwardenConfig config = writeConfig(work, sandbox);
            AuditSettings store = store();
            Runs runs = DriftwardenApplication.runs(Clock.systemUTC(), work.resolve("git-cache"));
            out.println("driftwarden demo: a sandbox API server, a Git repository, three runs");
            out.println();
            out.println("  Git repository   " + config.sources().get(0).url() + " (commit " + commit.substring(0, 12) + ")");
            out.println("  Sandbox cluster  " + sandbox.url() + " (in memory; no admission; its controllers write status "
                    + CONTROLLER_DELAY.toMillis() + " ms after a write)");
            out.println("  Audit store      " + store.url() + (storeConfig == null ? " (the demo's own, not the default store)" : ""));
            out.println();
            try (AuditLog audit = AuditLog.open(store, Clock.systemUTC())) {
                RunRequest request = new RunRequest(List.of(), null, "manual");

                RunOutcome first = runs.run(config, request, audit);
                out.println("1) First run: the namespace is empty, so everything in Git is created.");
                printChanges(out, first);

                out.println();
                out.println("2) Someone changes the cluster by hand:");
                handEdits(sandbox, out);
                RunOutcome second = runs.run(config, request, audit);
                out.println("   Second run: each change is detected and corrected.");
                printChanges(out, second);

                sandbox.clearRequests();
                RunOutcome third = runs.run(config, request, audit);
                long writes = sandbox.requests().stream().filter(SandboxRequest::isWrite).count();
                long lists = sandbox.requests().stream().filter(SandboxRequest::isList).count();
                BindingResult thirdResult = third.results().get(0);
                out.println();
                out.printf("3) Third run: nothing to do: %d objects in sync, %d LIST requests, %d writes.%n",
                        thirdResult.drifts().size() - thirdResult.driftCount(), lists, writes);

                int rows = writeReports(audit, started);
                String configOption = "--config " + (storeConfig == null ? STORE_CONFIG : storeConfig);
                out.println();
                out.println("Reports: " + HTML_REPORT + " and " + REPORT + " (" + rows + " audit rows from this demo)");
                out.println(storeConfig == null
                        ? "The demo's trail is in its own store (plain `report` and `history` read ./.driftwarden/audit, your own runs'):"
                        : "The demo's trail is in the audit store of " + storeConfig + ":");
                out.println("  ./driftwarden report " + configOption + " --format html --output demo-report.html");
                out.println("  ./driftwarden history " + configOption);
                out.println("  ./driftwarden audit verify " + configOption);
                out.flush();
                return verdict(spec.commandLine().getErr(), first, second, third, writes);
            }
        } finally {
            deleteTree(work);
        }
    }

    /** The store of {@code --config}, or the demo's own (writing the config that names it, for the other commands). */
    private AuditSettings store() throws IOException {
        if (storeConfig != null) {
            return ConfigLoader.load(storeConfig, io.driftwarden.cron.schedule.QuartzCron.CHECK).audit();
        }
        Path home = HOME.toAbsolutePath();
        Files.createDirectories(home);
        String url = "jdbc:h2:file:" + home.resolve("audit") + ";AUTO_SERVER=TRUE";
        Files.writeString(STORE_CONFIG, """
                # Written by `driftwarden demo`: the demo's own audit store, apart from the default one
                # (./.driftwarden/audit) that your own runs write to. Read it with
                #   ./driftwarden report --config %s --format html --output demo-report.html
                audit:
                  url: "%s"
                sources: []
                clusters: []
                bindings: []
                """.formatted(STORE_CONFIG, url));
        return new AuditSettings(url, "sa", null);
    }

    private static String commitExamples(Path repo) throws Exception {
        Files.createDirectories(repo.resolve("guestbook"));
        for (String file : EXAMPLES) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/examples/guestbook/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("examples/guestbook/" + file + " is missing from the driftwarden jar");
                }
                Files.copy(in, repo.resolve("guestbook").resolve(file));
            }
        }
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            return git.commit().setMessage("guestbook: initial manifests").setAuthor("demo", "demo@driftwarden.io")
                    .setCommitter("demo", "demo@driftwarden.io").setSign(false).call().getName();
        }
    }

    private static DriftwardenConfig writeConfig(Path work, Sandbox sandbox) throws IOException {
        Path kubeconfig = sandbox.writeKubeconfig(work.resolve("kubeconfig"));
        Path file = work.resolve("driftwarden.yaml");
        Files.writeString(file, """
                # the demo opens its audit store itself (./.driftwarden/demo/ unless demo --config names another)
                sources:
                  - name: examples
                    url: %s
                    ref: main
                clusters:
                  - name: sandbox
                    kubeconfig: %s
                bindings:
                  - name: guestbook
                    source: examples
                    path: guestbook
                    cluster: sandbox
                    namespace: %s
                    mode: enforce
                    health: {wait: 30s}
                """.formatted(work.resolve("repo").toUri(), kubeconfig, NAMESPACE));
        return ConfigLoader.load(file, io.driftwarden.cron.schedule.QuartzCron.CHECK);
    }

    /** What people do by hand, through the API as kubectl would. */
    private static void handEdits(Sandbox sandbox, PrintWriter out) {
        try (KubernetesClient client = sandbox.client()) {
            var deployment = client.apps().deployments().inNamespace(NAMESPACE).withName("frontend");
            deployment.edit(d -> {
                d.getSpec().setReplicas(5);
                return d;
            });
            out.println("   - kubectl scale deployment/frontend --replicas=5");
            deployment.edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("gcr.io/google-samples/gb-frontend:hotfix");
                return d;
            });
            out.println("   - kubectl set image deployment/frontend php-redis=gcr.io/google-samples/gb-frontend:hotfix");
            client.services().inNamespace(NAMESPACE).withName("frontend").delete();
            out.println("   - kubectl delete service/frontend");
            client.configMaps().inNamespace(NAMESPACE).withName("frontend-settings").edit(cm -> {
                cm.getData().put("PAGE_SIZE", "500");
                return cm;
            });
            out.println("   - kubectl edit configmap/frontend-settings (PAGE_SIZE: 20 -> 500)");
            client.secrets().inNamespace(NAMESPACE).withName("redis-credentials").edit(secret -> {
                secret.getData().put("password", Base64.getEncoder().encodeToString("changed-by-hand".getBytes(StandardCharsets.UTF_8)));
                return secret;
            });
            out.println("   - kubectl edit secret/redis-credentials (a new password)");
            deployment.patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager("kubectl-set").build(),
                    "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/env/-\",\"value\":{\"name\":\"DEBUG\",\"value\":\"true\"}}]");
            out.println("   - kubectl set env deployment/frontend DEBUG=true (recorded as field manager kubectl-set: a hand change,");
            out.println("     so it is drift and will be removed)");
            deployment.patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager("rollout-controller").build(),
                    "{\"metadata\":{\"annotations\":{\"rollout.example.com/observed\":\"v5\"}}}");
            out.println("   - a controller annotates deployment/frontend (field manager rollout-controller: not a hand change,");
            out.println("     and Git does not set that annotation, so it is left alone)");
        }
    }

    private void printChanges(PrintWriter out, RunOutcome outcome) {
        RunPrinter printer = new RunPrinter(out, spec.commandLine().getErr(), DiffStyle.paths);
        for (BindingResult result : outcome.results()) {
            if (result.error() != null) {
                out.println("   FAILED: " + result.error());
            }
            printer.table(result, "   ");
            if (!result.health().objects().isEmpty()) {
                out.printf(java.util.Locale.ROOT, "   Health of what it wrote (kstatus's rules; waited %.1f s, %d LIST requests):%n",
                        result.health().waited().toMillis() / 1000.0, result.health().lists());
                printer.health(result, "   ");
            }
        }
        out.println("   exit code " + outcome.exitCode());
    }

    private static int writeReports(AuditLog audit, Instant since) throws IOException {
        ReportFilter filter = new ReportFilter(since.minusSeconds(1), null, "guestbook", null);
        // the same reports `report` writes (measures, charts, the exceptions section), so the demo shows what users get
        Reports reports = new Reports(audit, filter, null, new java.util.TreeMap<>(), 3, ExceptionStatus.NONE);
        Files.createDirectories(REPORT.toAbsolutePath().getParent());
        try (Writer writer = Files.newBufferedWriter(REPORT, StandardCharsets.UTF_8)) {
            reports.write("csv", "The demo's rows", writer);
        }
        try (Writer writer = Files.newBufferedWriter(HTML_REPORT, StandardCharsets.UTF_8)) {
            reports.write("html", "The demo's rows", writer);
        }
        return audit.records(filter).size();
    }

    /** 0 when the demo went as it says: created, corrected, then quiet. */
    private static int verdict(PrintWriter err, RunOutcome first, RunOutcome second, RunOutcome third, long quietWrites) {
        long corrected = second.results().get(0).correctedCount();
        long driftLeft = third.results().get(0).driftCount();
        if (first.exitCode() != 0 || second.exitCode() != 0 || third.exitCode() != 0 || corrected != HAND_EDITED_OBJECTS
                || driftLeft != 0 || quietWrites != 0) {
            err.printf("error: the demo did not go as expected (exit codes %d/%d/%d, %d corrected, %d drift left, %d writes)%n",
                    first.exitCode(), second.exitCode(), third.exitCode(), corrected, driftLeft, quietWrites);
            err.flush();
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
