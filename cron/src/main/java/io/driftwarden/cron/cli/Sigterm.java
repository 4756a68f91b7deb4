package io.driftwarden.cron.cli;

import io.driftwarden.jobs.lifecycle.RunStop;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM for a one-shot run (a CronJob's pod being terminated): instead of the JVM's shutdown, the run is asked to stop
 * ({@link RunStop}), finishes the write in flight, records what it did not start, and exits 1 on its own. Kubernetes
 * sends SIGKILL after the pod's {@code terminationGracePeriodSeconds}; the grace period must cover one write (the
 * cluster's request timeout) and the rows that follow it.
 */
final class Sigterm implements AutoCloseable {

    private static final Signal TERM = new Signal("TERM");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Sigterm.class);

    private final SignalHandler previous;

    private Sigterm(SignalHandler previous) {
        this.previous = previous;
    }

    /** Until closed, SIGTERM asks {@code stop} to stop the run. */
    static Sigterm stops(RunStop stop) {
        return new Sigterm(Signal.handle(TERM, signal -> {
            stop.request("the run received SIGTERM");
            LOG.warn("SIGTERM: no new binding or write is started; the write in flight finishes with its outcome row");
        }));
    }

    @Override
    public void close() {
        Signal.handle(TERM, previous);
    }
}
