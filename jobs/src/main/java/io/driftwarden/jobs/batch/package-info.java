/**
 * The Spring Batch job {@code reconcile}: a partitioned step with one partition per binding, run in parallel with
 * a bound, each partition a tasklet that calls the plain-Java {@link io.driftwarden.jobs.Reconciler}. Job
 * parameters carry the run id and trigger. The job repository is in memory for now (restart comes with the JDBC
 * repository).
 */
package io.driftwarden.jobs.batch;
