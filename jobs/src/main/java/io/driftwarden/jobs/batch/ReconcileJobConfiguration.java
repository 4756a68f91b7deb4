package io.driftwarden.jobs.batch;

import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Defines the {@code reconcile} job: one partition per binding, at most {@link #PARALLEL_BINDINGS} at once. */
@Configuration
@EnableBatchProcessing
public class ReconcileJobConfiguration {

    public static final String JOB_NAME = "reconcile";
    /** Bindings reconciled at the same time. */
    public static final int PARALLEL_BINDINGS = 4;

    static final String RUN_ID = "runId";
    static final String TRIGGER = "trigger";
    static final String BINDING = "binding";

    @Bean
    RunRegistry runRegistry() {
        return new RunRegistry();
    }

    @Bean
    Job reconcileJob(JobRepository jobRepository, Step reconcileBindings) {
        return new JobBuilder(JOB_NAME, jobRepository).start(reconcileBindings).build();
    }

    @Bean
    Step reconcileBindings(JobRepository jobRepository, Step reconcileBinding, Partitioner bindingPartitioner) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("binding-");
        executor.setConcurrencyLimit(PARALLEL_BINDINGS);
        return new StepBuilder("reconcileBindings", jobRepository)
                .partitioner("reconcileBinding", bindingPartitioner)
                .step(reconcileBinding)
                .taskExecutor(executor)
                .gridSize(PARALLEL_BINDINGS)
                .build();
    }

    @Bean
    Step reconcileBinding(JobRepository jobRepository, RunRegistry runs) {
        return new StepBuilder("reconcileBinding", jobRepository)
                .tasklet((contribution, chunk) -> {
                    var step = chunk.getStepContext().getStepExecution();
                    String runId = step.getJobExecution().getJobParameters().getString(RUN_ID);
                    runs.get(runId).reconcile(step.getExecutionContext().getString(BINDING));
                    return RepeatStatus.FINISHED;
                })
                .build();
    }

    @Bean
    ReconcileJobRunner reconcileJobRunner(JobOperator jobOperator, Job reconcileJob, RunRegistry runs) {
        return new ReconcileJobRunner(jobOperator, reconcileJob, runs);
    }

    /** One partition per binding of the run, named after the binding. */
    @Bean
    @StepScope
    Partitioner bindingPartitioner(@Value("#{jobParameters['" + RUN_ID + "']}") String runId, RunRegistry runs) {
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (String binding : runs.get(runId).bindingNames()) {
                ExecutionContext context = new ExecutionContext();
                context.putString(BINDING, binding);
                partitions.put(binding, context);
            }
            return partitions;
        };
    }
}
