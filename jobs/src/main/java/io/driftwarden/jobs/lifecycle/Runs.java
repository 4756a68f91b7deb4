package io.driftwarden.jobs.lifecycle;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditException;
import io.driftwarden.audit.Leases;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.Checkpoint;
import io.driftwarden.audit.Checkpoints;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.RunSummary;
import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.Mode;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.RunContext;
import io.driftwarden.jobs.batch.ReconcileJobRunner;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.source.SourceReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the reconcile job once for a validated config, through the run lifecycle, and records the run's closing audit
 * row — the same for {@code run}, {@code plan}, the daemon's firings, the demo and {@code run --restart}. What it
 * needs from the process that starts it comes in as two small interfaces: the sync windows' clock ({@link
 * SyncWindowPolicy}) and the job runner of the process's application context ({@link JobRunners}).
 */
public final class Runs {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Runs.class);

    private final Clock clock;
    private final Path gitCache;
    private final SyncWindowPolicy windows;
    private final JobRunners jobRunners;
    private final AfterBindings afterBindings;

    public Runs(Clock clock, Path gitCache, SyncWindowPolicy windows, JobRunners jobRunners) {
        this(clock, gitCache, windows, jobRunners, AfterBindings.none());
    }

    /** Runs that do {@code afterBindings} (notifications) once a run's bindings have finished, before the run is recorded. */
    public Runs(Clock clock, Path gitCache, SyncWindowPolicy windows, JobRunners jobRunners, AfterBindings afterBindings) {
        this.clock = clock;
        this.gitCache = gitCache;
        this.windows = windows;
        this.jobRunners = jobRunners;
        this.afterBindings = afterBindings;
    }

    /** The default Git mirror cache, {@code ~/.driftwarden/git}. */
    public static Path defaultGitCache() {
        return Path.of(System.getProperty("user.home"), ".driftwarden", "git");
    }

    /** Bindings named in the request must exist; the caller has checked that (it is a usage error). */
    public RunOutcome run(DriftwardenConfig config, RunRequest request, AuditLog audit) {
        return run(config, request, audit, RunStop.never());
    }

    /**
     * One run, through its lifecycle ({@link RunLifecycle}): runs whose process died are marked abandoned first; the run
     * takes its id and lease, each binding its binding lease, in the mode the request and the sync windows in force now
     * give it; {@code stop} (SIGTERM) ends it early. The run ends in {@link #record}.
     */
    public RunOutcome run(DriftwardenConfig config, RunRequest request, AuditLog audit, RunStop stop) {
        Instant started = clock.instant();
        RunLifecycle lifecycle = new RunLifecycle(audit, config.audit().leaseTimeout(), clock);
        closeAbandoned(lifecycle.abandonStale(), audit);
        Selection selection = select(config, request, windows, started);
        List<BindingSpec> bindings = selection.bindings();
        try (RunLease lease = lifecycle.begin(started, request.restartOf(), request.trigger(),
                request.mode() == null ? null : request.mode().name(), bindings.stream().map(BindingSpec::name).toList())) {
            String runId = lease.runId();
            RunContext context = new RunContext(runId, request.trigger(), stop, lease, clock);
            // Git fetches and cluster clients get going on other threads while the job's context starts
            SourceReader sources = new SourceReader(gitCache, config.limits()).fetchedSince(request.requestedAt())
                    .prefetch(bindings.stream().map(b -> config.source(b.source())).distinct().toList());
            List<BindingResult> results;
            try (Clusters clusters = new Clusters().prepare(bindings.stream().map(b -> config.cluster(b.cluster())).distinct().toList())) {
                results = jobRunners.on(audit.dataSource()).run(config, bindings, context, audit, sources, clusters);
            }
            selection.closedWindows().forEach((binding, window) -> audit.append(windowRow(runId, request, config.binding(binding), window)));
            try {
                afterBindings.finished(config, runId, audit, stop.reason() != null); // notifications: bounded; a failure is a row, never the exit code
            } catch (RuntimeException e) {
                LOG.warn("run {}: what follows its bindings failed ({}); the run's result stands", runId, e.getClass().getSimpleName());
            }
            String mode = request.mode() == null ? "per-binding" : request.mode().label();
            return record(config, runId, request.trigger(), mode, started, results, stop.reason() != null, audit);
        }
    }

    /**
     * The bindings a run reconciles and their modes: those the request names (all when it names none), in the mode it
     * asks for (else each binding's own); an enforcing binding whose sync window is closed at {@code now} runs in audit
     * mode unless the request ignores windows, and either way the window is kept for its WINDOW row.
     */
    static Selection select(DriftwardenConfig config, RunRequest request, SyncWindowPolicy windows, Instant now) {
        Map<String, String> closed = new LinkedHashMap<>();
        List<BindingSpec> bindings = config.bindings().stream()
                .filter(b -> request.bindings().isEmpty() || request.bindings().contains(b.name()))
                .map(b -> request.mode() == null ? b : b.withMode(request.mode()))
                .map(b -> b.withHealthWait(request.healthWait()))
                .map(b -> {
                    String window = b.mode() == Mode.ENFORCE ? windows.closed(config, b, now) : null;
                    if (window == null) {
                        return b;
                    }
                    closed.put(b.name(), window);
                    return request.ignoreWindows() ? b : b.withMode(Mode.AUDIT);
                })
                .toList();
        return new Selection(bindings, closed);
    }

    /** A run's bindings in the modes they run in, and the closed sync window of each binding that had one (by name, in order). */
    record Selection(List<BindingSpec> bindings, Map<String, String> closedWindows) {
    }

    /** What a closed sync window did to a binding's run, or that the run ignored it. */
    private static AuditEntry windowRow(String runId, RunRequest request, BindingSpec binding, String window) {
        String what = request.ignoreWindows() ? window + "; ignored (run --ignore-windows): drift was corrected"
                : window + "; drift was only detected, it is corrected at the first run after the window opens";
        return new AuditEntry(runId, request.trigger(), binding.name(), null, null, binding.cluster(), binding.namespace(), null, null,
                null, null, EventType.WINDOW, null, null, null, null, what);
    }

    /**
     * Restarts run {@code runId} — one that failed, or whose process died (its lease went stale: it is marked abandoned
     * here) — as a new run {@code ROOT.restart-N} of the bindings it did not finish, in the mode it was asked for and
     * with the sync windows in force now. Refused (IllegalArgumentException) for a run still running, one that has
     * nothing left to do, and one restarted already (restart the newest restart instead).
     */
    public RunOutcome restart(DriftwardenConfig config, String runId, AuditLog audit, boolean ignoreWindows, RunStop stop) {
        RunLifecycle lifecycle = new RunLifecycle(audit, config.audit().leaseTimeout(), clock);
        Optional<Leases.Run> lease = lifecycle.restartable(runId);
        lease.filter(l -> l.state() == Leases.State.ABANDONED).ifPresent(l -> closeAbandoned(List.of(l), audit));
        Optional<String> restartedAs = audit.leases().restartedAs(runId);
        if (restartedAs.isPresent()) {
            throw new IllegalArgumentException("run " + runId + " was restarted already, as " + restartedAs.get() + ": restart that one");
        }
        ReconcileJobRunner.Recorded recorded = jobRunners.on(audit.dataSource()).recorded(runId)
                .orElseThrow(() -> new IllegalArgumentException("no run " + runId + " in the job repository"));
        if (lease.isEmpty() && !recorded.endedUnfinished()) {
            throw new IllegalArgumentException("run " + runId + " ended " + recorded.status() + ": there is nothing to restart");
        }
        List<String> unfinished = recorded.unfinishedBindings().stream()
                .filter(name -> config.bindings().stream().anyMatch(b -> b.name().equals(name))).toList();
        if (unfinished.isEmpty()) {
            throw new IllegalArgumentException("run " + runId + " finished every binding it still has in the config: there is nothing to restart");
        }
        String modeName = lease.isPresent() ? lease.get().mode() : (recorded.mode().equals("per-binding") ? null : recorded.mode());
        Mode mode = modeName == null ? null : Mode.valueOf(modeName);
        String trigger = lease.map(Leases.Run::trigger).orElse(recorded.trigger());
        return run(config, new RunRequest(unfinished, mode, trigger, ignoreWindows, runId), audit, stop);
    }

    /**
     * Closes the runs found abandoned: the job repository marks their executions ABANDONED, and each gets its closing
     * {@code audit_run} row (mode {@code abandoned}, exit 1), so {@code history} lists it.
     */
    private void closeAbandoned(List<Leases.Run> abandoned, AuditLog audit) {
        for (Leases.Run run : abandoned) {
            LOG.warn("run {} ({}) stopped renewing its lease at {}: marked abandoned; `driftwarden run --restart {}` runs what it did not finish",
                    run.runId(), run.holder(), run.heartbeatAt(), run.runId());
            jobRunners.on(audit.dataSource()).abandon(run.runId());
            try {
                audit.recordRun(new RunSummary(run.runId(), run.trigger(), "abandoned", run.startedAt(), run.heartbeatAt(), ExitCodes.FAILED,
                        run.bindings().size(), 0, 0, 0));
            } catch (AuditException e) {
                LOG.debug("run {} has its closing row already: {}", run.runId(), e.getMessage());
            }
        }
    }

    /**
     * Where every run ends (run, plan, the daemon's firings, restarts): its closing {@code audit_run} row with the chain
     * head it left, then the signed checkpoint of that chain (when {@code audit.checkpoints} is configured and the chain
     * moved). A run asked to stop (SIGTERM) exits 1; a checkpoint that cannot be written makes the run exit 1, its
     * results stand.
     */
    private RunOutcome record(DriftwardenConfig config, String runId, String trigger, String mode, Instant started,
                              List<BindingResult> results, boolean stopped, AuditLog audit) {
        int exitCode = stopped ? ExitCodes.FAILED : ExitCodes.of(results);
        audit.recordRun(new RunSummary(runId, trigger, mode, started, clock.instant(), exitCode, results.size(),
                (int) results.stream().mapToLong(BindingResult::driftCount).sum(),
                (int) results.stream().mapToLong(BindingResult::correctedCount).sum(),
                (int) results.stream().mapToLong(BindingResult::failedCount).sum()));
        try {
            Checkpoint checkpoint = Checkpoints.afterRun(config.audit().checkpoints(), audit, runId, clock);
            return new RunOutcome(runId, trigger, mode, results, exitCode, checkpoint, null);
        } catch (AuditException | IllegalStateException | java.io.UncheckedIOException e) {
            return new RunOutcome(runId, trigger, mode, results, exitCode == ExitCodes.USAGE ? exitCode : ExitCodes.FAILED, null,
                    "no checkpoint was written after run " + runId + ": " + e.getMessage());
        }
    }
}
