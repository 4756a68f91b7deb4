package io.driftwarden.jobs.batch;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.Reconciler;
import io.driftwarden.jobs.RunContext;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.source.SourceReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobExecutionException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;

/** Starts the {@code reconcile} job for a set of bindings and returns each binding's result. */
public final class ReconcileJobRunner {

    private final JobOperator jobOperator;
    private final Job job;
    private final RunRegistry runs;

    ReconcileJobRunner(JobOperator jobOperator, Job job, RunRegistry runs) {
        this.jobOperator = jobOperator;
        this.job = job;
        this.runs = runs;
    }

    /**
     * Reconciles {@code bindings} (already in the mode the run asks for) and returns their results, one per
     * binding, in order. Git mirrors live under {@code gitCache}.
     */
    public List<BindingResult> run(DriftwardenConfig config, List<BindingSpec> bindings, RunContext context,
                                   AuditLog auditLog, Path gitCache) {
        try (Clusters clusters = new Clusters()) {
            Reconciler reconciler = new Reconciler(config, new SourceReader(gitCache), clusters, auditLog);
            RunRegistry.ActiveRun run = runs.register(context, reconciler, bindings);
            try {
                JobExecution execution = jobOperator.start(job, new JobParametersBuilder()
                        .addString(ReconcileJobConfiguration.RUN_ID, context.runId())
                        .addString(ReconcileJobConfiguration.TRIGGER, context.trigger())
                        .toJobParameters());
                List<BindingResult> results = new ArrayList<>(run.results());
                if (execution.getStatus() != BatchStatus.COMPLETED && results.size() < bindings.size()) {
                    throw new IllegalStateException("reconcile job ended " + execution.getStatus() + ": "
                            + execution.getAllFailureExceptions());
                }
                return results;
            } finally {
                runs.remove(context.runId());
            }
        } catch (JobExecutionException e) {
            throw new IllegalStateException("cannot start the reconcile job: " + e.getMessage(), e);
        }
    }
}
