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
import org.springframework.batch.core.repository.JobRepository;

/** Starts the {@code reconcile} job for a set of bindings and returns each binding's result. */
public final class ReconcileJobRunner {

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job job;
    private final RunRegistry runs;

    ReconcileJobRunner(JobOperator jobOperator, JobRepository jobRepository, Job job, RunRegistry runs) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = job;
        this.runs = runs;
    }

    /**
     * Reconciles {@code bindings} (already in the mode the run asks for) through {@code sources} and {@code clusters},
     * which the caller may have started preparing ({@link SourceReader#prefetch}, {@link Clusters#prepare}) and closes;
     * returns their results, one per binding, in order.
     */
    public List<BindingResult> run(DriftwardenConfig config, List<BindingSpec> bindings, RunContext context,
                                   AuditLog auditLog, SourceReader sources, Clusters clusters) {
        Reconciler reconciler = new Reconciler(config, sources, clusters, auditLog);
        RunRegistry.ActiveRun run = runs.register(context, reconciler, bindings);
        try {
            JobExecution execution = jobOperator.start(job, new JobParametersBuilder()
                    .addString(ReconcileJobConfiguration.RUN_ID, context.runId())
                    .addString(ReconcileJobConfiguration.TRIGGER, context.trigger(), false)
                    .addString(ReconcileJobConfiguration.MODE, modeOf(bindings), false)
                    .addString(ReconcileJobConfiguration.BINDINGS,
                            String.join(",", bindings.stream().map(BindingSpec::name).toList()), false)
                    .toJobParameters());
            List<BindingResult> results = new ArrayList<>(run.results());
            if (execution.getStatus() != BatchStatus.COMPLETED && results.size() < bindings.size()) {
                throw new IllegalStateException("reconcile job ended " + execution.getStatus() + ": "
                        + execution.getAllFailureExceptions());
            }
            return results;
        } catch (JobExecutionException e) {
            throw new IllegalStateException("cannot start the reconcile job: " + e.getMessage(), e);
        } finally {
            runs.remove(context.runId());
        }
    }

    /**
     * Restarts run {@code runId} as recorded in the job repository: only the bindings whose partitions failed run
     * again, in the mode and with the trigger the run had (from its job parameters), reading Git anew. Returns their
     * results; none when the run did not fail.
     */
    public List<BindingResult> restart(DriftwardenConfig config, String runId, AuditLog auditLog, Path gitCache) {
        JobExecution last = jobRepository.getLastJobExecution(ReconcileJobConfiguration.JOB_NAME,
                new JobParametersBuilder().addString(ReconcileJobConfiguration.RUN_ID, runId).toJobParameters());
        if (last == null) {
            throw new IllegalArgumentException("no run " + runId + " in the job repository");
        }
        if (last.getStatus() != BatchStatus.FAILED && last.getStatus() != BatchStatus.STOPPED) {
            throw new IllegalArgumentException("run " + runId + " ended " + last.getStatus() + ": there is nothing to restart");
        }
        var parameters = last.getJobParameters();
        String mode = parameters.getString(ReconcileJobConfiguration.MODE);
        List<BindingSpec> bindings = new ArrayList<>();
        for (String name : parameters.getString(ReconcileJobConfiguration.BINDINGS).split(",")) {
            BindingSpec binding = config.binding(name);
            bindings.add(mode.equals("per-binding") ? binding : binding.withMode(io.driftwarden.config.Mode.valueOf(mode)));
        }
        RunContext context = new RunContext(runId, parameters.getString(ReconcileJobConfiguration.TRIGGER));
        try (Clusters clusters = new Clusters()) {
            Reconciler reconciler = new Reconciler(config, new SourceReader(gitCache, config.limits()), clusters, auditLog);
            RunRegistry.ActiveRun run = runs.register(context, reconciler, bindings);
            try {
                jobOperator.restart(last);
                return new ArrayList<>(run.results());
            } finally {
                runs.remove(runId);
            }
        } catch (JobExecutionException e) {
            throw new IllegalStateException("cannot restart run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** The mode every binding runs in, or {@code per-binding}. */
    private static String modeOf(List<BindingSpec> bindings) {
        List<String> modes = bindings.stream().map(b -> b.mode().name()).distinct().toList();
        return modes.size() == 1 ? modes.get(0) : "per-binding";
    }
}
