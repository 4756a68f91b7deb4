package io.driftwarden.jobs.lifecycle;

import io.driftwarden.jobs.batch.ReconcileJobRunner;
import javax.sql.DataSource;

/**
 * Where a run gets the {@code reconcile} job's runner for an audit store: the process's application context on that
 * store, started on first use and kept for later runs (cron/'s {@code DriftwardenApplication} starts it).
 */
@FunctionalInterface
public interface JobRunners {

    /** The job runner of the context on {@code auditStore}; runs of several threads share it and run at once. */
    ReconcileJobRunner on(DataSource auditStore);
}
