package io.driftwarden.jobs;

import io.driftwarden.jobs.lifecycle.BindingLeases;
import io.driftwarden.jobs.lifecycle.RunStop;

/**
 * What every binding of one run shares: its id, what triggered it (cron, manual, webhook, cronjob), whether it was
 * asked to stop (SIGTERM), the leases that keep one binding to one run at a time, and the clock that says whether an
 * exception has expired.
 */
public record RunContext(String runId, String trigger, RunStop stop, BindingLeases leases, java.time.Clock clock) {

    /** A run on the system clock. */
    public RunContext(String runId, String trigger, RunStop stop, BindingLeases leases) {
        this(runId, trigger, stop, leases, java.time.Clock.systemUTC());
    }

    /** A run that is never stopped and takes no leases (tests, single-process stores). */
    public RunContext(String runId, String trigger) {
        this(runId, trigger, RunStop.never(), BindingLeases.none());
    }
}
