package io.driftwarden.jobs.batch;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.Reconciler;
import io.driftwarden.jobs.RunContext;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.source.SourceReader;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobExecutionException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

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
        RunRegistry.ActiveRun run = runs.register(context, reconciler, bindings, slots(config));
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
     * What the job repository holds of run {@code runId}: how its execution ended (STARTED for a run whose process died),
     * the mode and trigger it ran with, and its bindings whose partitions did not complete (failed, or never reached).
     */
    public java.util.Optional<Recorded> recorded(String runId) {
        JobExecution last = last(runId);
        if (last == null) {
            return java.util.Optional.empty();
        }
        java.util.Set<String> done = new java.util.HashSet<>();
        for (StepExecution step : last.getStepExecutions()) {
            String prefix = "reconcileBinding:";
            if (step.getStepName().startsWith(prefix) && step.getStatus() == BatchStatus.COMPLETED) {
                done.add(step.getStepName().substring(prefix.length()));
            }
        }
        var parameters = last.getJobParameters();
        List<String> unfinished = java.util.Arrays.stream(parameters.getString(ReconcileJobConfiguration.BINDINGS).split(","))
                .filter(b -> !b.isEmpty() && !done.contains(b)).toList();
        return java.util.Optional.of(new Recorded(last.getStatus().name(), parameters.getString(ReconcileJobConfiguration.MODE),
                parameters.getString(ReconcileJobConfiguration.TRIGGER), unfinished));
    }

    /**
     * A run as the job repository recorded it: its status (a Spring Batch {@code BatchStatus} name), {@code mode}
     * {@code per-binding} or a {@code Mode} name, and the bindings it did not finish.
     */
    public record Recorded(String status, String mode, String trigger, List<String> unfinishedBindings) {

        /** The run ended failed or stopped (the only ends a run without a lease may be restarted from). */
        public boolean endedUnfinished() {
            return status.equals(BatchStatus.FAILED.name()) || status.equals(BatchStatus.STOPPED.name());
        }
    }

    /**
     * Marks run {@code runId}'s execution ABANDONED when it is still recorded as running (its process died; the caller
     * knows from the run's lease), with its running partitions, so the job repository tells the truth about it.
     */
    public void abandon(String runId) {
        JobExecution last = last(runId);
        if (last == null || !last.getStatus().isRunning()) {
            return;
        }
        java.time.LocalDateTime now = java.time.LocalDateTime.now();
        for (StepExecution step : last.getStepExecutions()) {
            if (step.getStatus().isRunning()) {
                step.setStatus(BatchStatus.ABANDONED);
                step.setExitStatus(org.springframework.batch.core.ExitStatus.FAILED.addExitDescription("the process running it died"));
                step.setEndTime(now);
                jobRepository.update(step);
            }
        }
        last.setStatus(BatchStatus.ABANDONED);
        last.setExitStatus(org.springframework.batch.core.ExitStatus.FAILED.addExitDescription("the process running it died"));
        last.setEndTime(now);
        jobRepository.update(last);
    }

    /** The run's last execution with its step executions loaded, or null. */
    private JobExecution last(String runId) {
        JobExecution last = jobRepository.getLastJobExecution(ReconcileJobConfiguration.JOB_NAME,
                new JobParametersBuilder().addString(ReconcileJobConfiguration.RUN_ID, runId).toJobParameters());
        return last == null ? null : jobRepository.getJobExecution(last.getId());
    }

    /** The mode every binding runs in, or {@code per-binding}. */
    /**
     * The run's binding slots: {@code run.parallelBindings} in all (by default from the clusters and this machine's
     * processors), each cluster at most its {@code maxInFlight}.
     */
    static BindingSlots slots(DriftwardenConfig config) {
        java.util.Map<String, Integer> bounds = new java.util.LinkedHashMap<>();
        config.clusters().forEach(c -> bounds.put(c.name(), c.maxInFlight()));
        return new BindingSlots(config.parallelBindings(Runtime.getRuntime().availableProcessors()), bounds);
    }

    private static String modeOf(List<BindingSpec> bindings) {
        List<String> modes = bindings.stream().map(b -> b.mode().name()).distinct().toList();
        return modes.size() == 1 ? modes.get(0) : "per-binding";
    }
}
