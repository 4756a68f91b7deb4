package io.driftwarden.jobs.lifecycle;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.Leases;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's lease in the audit store while it runs: its {@code run_lease} row, renewed (with the leases of the bindings
 * it holds) every third of the lease timeout by a daemon thread, and marked FINISHED on {@link #close}. A process that
 * dies stops renewing it; after the timeout its run counts as abandoned and its bindings are free.
 */
public final class RunLease implements BindingLeases, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);

    private final Leases leases;
    private final String runId;
    private final String holder;
    private final Duration timeout;
    private final Clock clock;
    private final ScheduledExecutorService heartbeat;

    private RunLease(Leases leases, String runId, String holder, Duration timeout, Clock clock) {
        this.leases = leases;
        this.runId = runId;
        this.holder = holder;
        this.timeout = timeout;
        this.clock = clock;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lease-" + runId);
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, timeout.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts renewing the lease of a run whose row {@link Leases#begin} has written. */
    static RunLease held(AuditLog audit, String runId, Duration timeout, Clock clock) {
        return new RunLease(audit.leases(), runId, holder(), timeout, clock);
    }

    /** This process, as lease rows name it: the host (the pod's name in Kubernetes) and the pid. */
    public static String holder() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "unknown host";
            }
        }
        return host + " pid " + ProcessHandle.current().pid();
    }

    public String runId() {
        return runId;
    }

    @Override
    public Optional<String> acquire(String binding) {
        return leases.acquire(binding, runId, holder, clock.instant(), clock.instant().plus(timeout));
    }

    @Override
    public void release(String binding) {
        leases.release(binding, runId);
    }

    private void renew() {
        try {
            leases.heartbeat(runId, clock.instant(), clock.instant().plus(timeout));
        } catch (RuntimeException e) {
            LOG.warn("run {}: the lease could not be renewed: {}", runId, e.getMessage());
        }
    }

    /** Stops renewing and marks the run FINISHED, giving up its binding leases. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        leases.finish(runId);
    }
}
