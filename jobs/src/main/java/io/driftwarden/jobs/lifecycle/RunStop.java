package io.driftwarden.jobs.lifecycle;

/**
 * A request that a run stop (SIGTERM): once made, no binding and no write is started; the writes in flight complete
 * and get their outcome rows, and what was not started is recorded {@code SKIPPED} with the reason — or, when its
 * kind rank's intents were already committed, {@code FAILED} "not sent" with the reason (each intent has one outcome).
 */
public final class RunStop {

    private volatile String reason;

    /** A stop that is never requested (the daemon's runs, tests). */
    public static RunStop never() {
        return new RunStop();
    }

    /** Asks the run to stop; the first reason given is kept. */
    public synchronized void request(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    /** Why the run was asked to stop, or null while it was not. */
    public String reason() {
        return reason;
    }

    /** The detail of a change not started because the run was stopped. */
    public static String notStarted(String reason) {
        return "not started: " + reason;
    }
}
