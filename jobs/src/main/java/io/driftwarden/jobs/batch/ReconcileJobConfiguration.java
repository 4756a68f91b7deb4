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
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Defines the {@code reconcile} job: one partition per binding, at most {@link #PARALLEL_BINDINGS} at once, recorded
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
    /** Bindings reconciled at the same time. */
    public static final int PARALLEL_BINDINGS = 4;

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
