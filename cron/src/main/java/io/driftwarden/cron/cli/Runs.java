package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditException;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.Checkpoint;
import io.driftwarden.audit.Checkpoints;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.RunSummary;
import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.Mode;
import io.driftwarden.cron.schedule.SyncWindows;
import io.driftwarden.cron.DriftwardenApplication;
import io.driftwarden.cron.ExitCodes;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.RunContext;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.source.SourceReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Runs the reconcile job once for a validated config and records the run's closing audit row. */
public final class Runs {

    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Path gitCache;

    public Runs(Clock clock, Path gitCache) {
        this.clock = clock;
        this.gitCache = gitCache;
    }

    /** The default Git mirror cache, {@code ~/.driftwarden/git}. */
    public static Path defaultGitCache() {
        return Path.of(System.getProperty("user.home"), ".driftwarden", "git");
    }

    /** Bindings named in the request must exist; the caller has checked that (it is a usage error). */
    public RunOutcome run(DriftwardenConfig config, RunRequest request, AuditLog audit) {
        Instant started = clock.instant();
        Map<String, String> closed = new LinkedHashMap<>();
        List<BindingSpec> bindings = config.bindings().stream()
                .filter(b -> request.bindings().isEmpty() || request.bindings().contains(b.name()))
                .map(b -> request.mode() == null ? b : b.withMode(request.mode()))
                .map(b -> {
                    String window = b.mode() == Mode.ENFORCE ? SyncWindows.closed(config, b, started) : null;
                    if (window == null) {
                        return b;
                    }
                    closed.put(b.name(), window);
                    return request.ignoreWindows() ? b : b.withMode(Mode.AUDIT);
                })
                .toList();
        String runId = RUN_ID_TIME.format(started) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        RunContext context = new RunContext(runId, request.trigger());
        // Git fetches and cluster clients get going on other threads while the job's context starts
        SourceReader sources = new SourceReader(gitCache, config.limits())
                .prefetch(bindings.stream().map(b -> config.source(b.source())).distinct().toList());
        List<BindingResult> results;
        try (Clusters clusters = new Clusters().prepare(bindings.stream().map(b -> config.cluster(b.cluster())).distinct().toList())) {
            results = DriftwardenApplication.withJobRunner(audit.dataSource(),
                    runner -> runner.run(config, bindings, context, audit, sources, clusters));
        }
        closed.forEach((binding, window) -> audit.append(windowRow(runId, request, config.binding(binding), window)));
        return record(config, runId, request.trigger(), request.mode() == null ? "per-binding" : request.mode().label(), started, results, audit);
    }

    /** What a closed sync window did to a binding's run, or that the run ignored it. */
    private static AuditEntry windowRow(String runId, RunRequest request, BindingSpec binding, String window) {
        String what = request.ignoreWindows() ? window + "; ignored (run --ignore-windows): drift was corrected"
                : window + "; drift was only detected, it is corrected at the first run after the window opens";
        return new AuditEntry(runId, request.trigger(), binding.name(), null, null, binding.cluster(), binding.namespace(), null, null,
                null, null, EventType.WINDOW, null, null, null, null, what);
    }

    /**
     * Restarts a failed run: the bindings whose partitions failed run again (see ReconcileJobRunner#restart); the
     * restart is recorded as its own {@code audit_run} row, {@code RUN_ID.restart-N}.
     */
    public RunOutcome restart(DriftwardenConfig config, String runId, AuditLog audit) {
        Instant started = clock.instant();
        List<BindingResult> results = DriftwardenApplication.withJobRunner(audit.dataSource(),
                runner -> runner.restart(config, runId, audit, gitCache));
        long earlier = audit.history(null, 1000).stream().filter(r -> r.runId().startsWith(runId + ".restart-")).count();
        return record(config, runId + ".restart-" + (earlier + 1), "manual", "restart", started, results, audit);
    }

    /**
     * Records the run's closing row, then signs the chain it left (when {@code audit.checkpoints} is configured and the
     * chain moved): a checkpoint that cannot be written makes the run exit 1, its results stand.
     */
    private RunOutcome record(DriftwardenConfig config, String runId, String trigger, String mode, Instant started,
                              List<BindingResult> results, AuditLog audit) {
        int exitCode = ExitCodes.of(results);
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
