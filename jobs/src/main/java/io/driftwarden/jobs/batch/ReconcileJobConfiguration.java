package io.driftwarden.jobs.batch;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.configuration.annotation.EnableJdbcJobRepository;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.step.StepExecution;
import java.util.concurrent.FutureTask;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Defines the {@code reconcile} job: one partition per binding, started by the run's {@link BindingSlots} (at most
 * {@code run.parallelBindings} at once, each cluster within its own bound, clusters side by side), recorded
 * in Spring Batch's JDBC job repository in the audit database (bean {@value #DATA_SOURCE}, tables from our Flyway
 * migrations), so a failed run can be restarted: a binding that failed fails its partition, and a restart runs
 * only those.
 */
@Configuration
@EnableBatchProcessing(transactionManagerRef = "batchTransactionManager")
@EnableJdbcJobRepository(dataSourceRef = ReconcileJobConfiguration.DATA_SOURCE, transactionManagerRef = "batchTransactionManager")
public class ReconcileJobConfiguration {

    /** The name of the audit store's DataSource, which whoever starts the context registers. */
    public static final String DATA_SOURCE = "auditDataSource";

    public static final String JOB_NAME = "reconcile";

    static final String RUN_ID = "runId";
    static final String TRIGGER = "trigger";
    static final String MODE = "mode";
    static final String BINDINGS = "bindings";
    static final String BINDING = "binding";

    @Bean
    RunRegistry runRegistry() {
        return new RunRegistry();
    }

    @Bean
    PlatformTransactionManager batchTransactionManager(@Qualifier(DATA_SOURCE) DataSource auditDataSource) {
        return new JdbcTransactionManager(auditDataSource);
    }

    @Bean
    Job reconcileJob(JobRepository jobRepository, Step reconcileBindings) {
        return new JobBuilder(JOB_NAME, jobRepository).start(reconcileBindings).build();
    }

    @Bean
    Step reconcileBindings(JobRepository jobRepository, Step reconcileBinding, Partitioner bindingPartitioner, RunRegistry runs) {
        return new StepBuilder("reconcileBindings", jobRepository)
                .partitioner("reconcileBinding", bindingPartitioner)
                .partitionHandler(new SlotsPartitionHandler(reconcileBinding, runs))
                .build();
    }

    /**
     * Spring Batch's handler (it starts every partition, waits for all, and collects their executions), each partition
     * started when its run's {@link BindingSlots} give its cluster a slot rather than in the order the handler submits them.
     */
    static final class SlotsPartitionHandler extends TaskExecutorPartitionHandler {
        private final RunRegistry runs;

        SlotsPartitionHandler(Step step, RunRegistry runs) {
            this.runs = runs;
            setStep(step);
            setTaskExecutor(task -> {
                BindingSlots.BindingTask<?> binding = (BindingSlots.BindingTask<?>) task;
                binding.slots.submit(binding.cluster, binding.order, binding);
            });
        }

        @Override
        protected FutureTask<StepExecution> createTask(Step step, StepExecution stepExecution) {
            String runId = stepExecution.getJobExecution().getJobParameters().getString(RUN_ID);
            String binding = stepExecution.getExecutionContext().getString(BINDING);
            RunRegistry.ActiveRun run = runs.get(runId);
            return new BindingSlots.BindingTask<>(run.slots(), run.clusterOf(binding), run.orderOf(binding), () -> {
                step.execute(stepExecution);
                return stepExecution;
            });
        }
    }

    @Bean
    Step reconcileBinding(JobRepository jobRepository, RunRegistry runs) {
        return new StepBuilder("reconcileBinding", jobRepository)
                .tasklet((contribution, chunk) -> {
                    var step = chunk.getStepContext().getStepExecution();
                    String runId = step.getJobExecution().getJobParameters().getString(RUN_ID);
                    String binding = step.getExecutionContext().getString(BINDING);
                    if (runs.get(runId).reconcile(binding).failed()) {
                        throw new BindingFailedException(binding); // its partition fails; a restart runs it again
                    }
                    return RepeatStatus.FINISHED;
                })
                .build();
    }

    @Bean
    ReconcileJobRunner reconcileJobRunner(JobOperator jobOperator, JobRepository jobRepository, Job reconcileJob, RunRegistry runs) {
        return new ReconcileJobRunner(jobOperator, jobRepository, reconcileJob, runs);
    }

    /** A binding that failed (its result holds why); thrown so its partition ends FAILED. */
    static final class BindingFailedException extends RuntimeException {
        BindingFailedException(String binding) {
            super("binding " + binding + " failed");
        }
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
