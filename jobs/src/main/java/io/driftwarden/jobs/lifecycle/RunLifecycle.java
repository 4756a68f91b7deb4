package io.driftwarden.jobs.lifecycle;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.Leases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * The life of a run in the audit store, the same for {@code run}, {@code plan}, the daemon's firings and
 * {@code run --restart}: runs whose process died are found (a heartbeat older than the lease timeout) and marked
 * abandoned, a run takes an id no other run has and holds its lease while it runs, and a restart is told what it
 * restarts.
 */
public final class RunLifecycle {

    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String RESTART = ".restart-";

    private final AuditLog audit;
    private final Duration timeout;
    private final Clock clock;

    public RunLifecycle(AuditLog audit, Duration timeout, Clock clock) {
        this.audit = audit;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The runs whose process died since (their heartbeat is older than the timeout), now marked ABANDONED. */
    public List<Leases.Run> abandonStale() {
        return audit.leases().abandonStale(clock.instant().minus(timeout));
    }

    /**
     * Starts the lease of a new run started at {@code started}: its id is the start time and a random suffix, or for a
     * restart ({@code restartOf} set) {@code ROOT.restart-N} with the first N no run has taken — the lease row's
     * primary key decides between two restarts that race, before either has written anything.
     */
    public RunLease begin(Instant started, String restartOf, String trigger, String mode, List<String> bindings) {
        IntFunction<String> ids = restartOf == null
                ? n -> RUN_ID_TIME.format(started) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2)
                : n -> root(restartOf) + RESTART + (n + 1);
        for (int n = 0; n < 10_000; n++) {
            String runId = ids.apply(n);
            if (!audit.leases().taken(runId)
                    && audit.leases().begin(new Leases.Run(runId, restartOf, trigger, mode, bindings, RunLease.holder(), started, started,
                    Leases.State.RUNNING))) {
                return RunLease.held(audit, runId, timeout, clock);
            }
        }
        throw new IllegalStateException("no free run id for " + (restartOf == null ? "a run" : "a restart of " + restartOf));
    }

    /**
     * What {@code run --restart runId} may restart: its lease row when it has one (empty for runs recorded before leases
     * existed). A run whose lease is still fresh is running somewhere and is refused; one whose heartbeat went stale is
     * marked abandoned here.
     */
    public Optional<Leases.Run> restartable(String runId) {
        Optional<Leases.Run> lease = audit.leases().run(runId);
        if (lease.isEmpty() || lease.get().state() != Leases.State.RUNNING) {
            return lease;
        }
        Instant staleBefore = clock.instant().minus(timeout);
        if (!lease.get().heartbeatAt().isBefore(staleBefore) || !audit.leases().abandon(runId, staleBefore)) {
            throw new IllegalArgumentException("run " + runId + " is still running (" + lease.get().holder() + ", heartbeat at "
                    + lease.get().heartbeatAt() + "); it counts as dead once its heartbeat is " + timeout.toSeconds()
                    + " s old (audit.leaseTimeout)");
        }
        return audit.leases().run(runId);
    }

    /** The run a restart id descends from: {@code R.restart-2} → {@code R}. */
    static String root(String runId) {
        int at = runId.indexOf(RESTART);
        return at < 0 ? runId : runId.substring(0, at);
    }
}
