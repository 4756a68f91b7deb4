package io.driftwarden.cron.schedule;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.cron.metrics.RunMetrics;
import io.driftwarden.jobs.lifecycle.RunOutcome;
import io.driftwarden.jobs.lifecycle.RunRequest;
import io.driftwarden.jobs.lifecycle.Runs;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code driftwarden schedule}: a Quartz scheduler that runs each binding on its own cron, with Quartz's JDBC job
 * store in the audit database, clustered — several daemons on one database fire each trigger once. A binding's job
 * never runs twice at once ({@code @DisallowConcurrentExecution}, across the cluster); after downtime a missed
 * firing runs once, not once per missed time (misfire: fire and proceed); a push runs a binding now, and pushes that
 * arrive while one is pending merge into it. {@link #close} lets running bindings finish.
 */
public final class Daemon implements AutoCloseable {

    static final String BINDINGS = "bindings";
    static final String CRON = "cron";
    static final String PUSH = "push";
    /** A push trigger's data: when the newest push it stands for arrived (epoch millis). */
    static final String REQUESTED_AT = "requestedAt";

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final AtomicReference<DriftwardenConfig> config;
    private final AuditLog audit;
    private final Runs runs;
    private final RunMetrics metrics;
    private final Scheduler scheduler;

    private Daemon(DriftwardenConfig config, AuditLog audit, Runs runs, RunMetrics metrics, Scheduler scheduler) {
        this.config = new AtomicReference<>(config);
        this.audit = audit;
        this.runs = runs;
        this.metrics = metrics;
        this.scheduler = scheduler;
    }

    /** Starts scheduling {@code config}'s bindings on the audit store's job store. */
    public static Daemon start(DriftwardenConfig config, AuditLog audit, Runs runs, RunMetrics metrics) throws SchedulerException {
        String dataSource = "driftwarden-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return audit.dataSource().getConnection();
            }

            @Override
            public void shutdown() {
                // the audit store's owner closes it
            }

            @Override
            public void initialize() {
            }
        });
        StdSchedulerFactory factory = new StdSchedulerFactory(quartzProperties(dataSource, audit.vendor()));
        Scheduler scheduler = factory.getScheduler();
        Daemon daemon = new Daemon(config, audit, runs, metrics, scheduler);
        scheduler.setJobFactory((bundle, s) -> new BindingJob(daemon));
        daemon.apply(config);
        scheduler.start();
        return daemon;
    }

    /**
     * Quartz on the audit database: JDBC store ({@code QRTZ_*} tables, created by driftwarden's migrations), clustered
     * (instances check in every 5 s; one that stops is taken over), a misfire after 10 s late, 4 bindings at once.
     */
    static Properties quartzProperties(String dataSource, String vendor) {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "driftwarden");
        properties.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", "4");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        properties.setProperty("org.quartz.jobStore.driverDelegateClass", vendor.equals("postgresql")
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        properties.setProperty("org.quartz.jobStore.dataSource", dataSource);
        properties.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "10000");
        return properties;
    }

    /**
     * Schedules the config's bindings: a binding whose cron and time zone are unchanged keeps its trigger (and so its
     * missed firings), a changed one is rescheduled, a binding no longer scheduled is removed.
     */
    public synchronized void apply(DriftwardenConfig next) throws SchedulerException {
        Set<JobKey> wanted = new HashSet<>();
        for (BindingSpec binding : next.bindings()) {
            if (binding.schedule() == null) {
                LOG.info("binding {} has no schedule (and the config no defaults.schedule): it runs only on a push", binding.name());
            }
            JobKey job = JobKey.jobKey(binding.name(), BINDINGS);
            wanted.add(job);
            scheduler.addJob(JobBuilder.newJob(BindingJob.class).withIdentity(job).storeDurably().build(), true);
            TriggerKey key = TriggerKey.triggerKey(binding.name(), CRON);
            Trigger current = scheduler.getTrigger(key);
            if (binding.schedule() == null) {
                scheduler.unscheduleJob(key);
                continue;
            }
            if (current instanceof CronTrigger cron && cron.getCronExpression().equals(binding.schedule().cron())
                    && cron.getTimeZone().toZoneId().normalized().equals(binding.schedule().timeZone().normalized())) {
                continue;
            }
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(job)
                    .withSchedule(CronScheduleBuilder.cronSchedule(binding.schedule().cron())
                            .inTimeZone(TimeZone.getTimeZone(binding.schedule().timeZone())).withMisfireHandlingInstructionFireAndProceed())
                    .build();
            if (current == null) {
                scheduler.scheduleJob(trigger);
            } else {
                scheduler.rescheduleJob(key, trigger);
            }
            LOG.info("binding {} runs on '{}' ({}); next at {}", binding.name(), binding.schedule().cron(), binding.schedule().timeZone(),
                    scheduler.getTrigger(key).getNextFireTime());
        }
        for (JobKey job : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(BINDINGS))) {
            if (!wanted.contains(job)) {
                scheduler.deleteJob(job);
                LOG.info("binding {} is no longer in the config: unscheduled", job.getName());
            }
        }
        config.set(next); // once its triggers are in place
    }

    /**
     * Runs {@code binding} as soon as it is free (a push): false when a push run of it is already waiting — the two
     * merge into one run, whose request time becomes this push's (so no fetch that started before this push serves it,
     * {@code SourceReader.fetchedSince}). A run already going does not count: it may have read Git before the push, so
     * another runs after it.
     */
    public synchronized boolean runSoon(String binding, String trigger) throws SchedulerException {
        JobKey job = JobKey.jobKey(binding, BINDINGS);
        long now = System.currentTimeMillis();
        for (Trigger pending : scheduler.getTriggersOfJob(job)) {
            Trigger.TriggerState state = scheduler.getTriggerState(pending.getKey());
            if (pending.getKey().getGroup().equals(PUSH) && (state == Trigger.TriggerState.NORMAL || state == Trigger.TriggerState.BLOCKED)) {
                Trigger renewed = TriggerBuilder.newTrigger().withIdentity(pending.getKey()).forJob(job)
                        .usingJobData(pending.getJobDataMap()).usingJobData(REQUESTED_AT, now).startNow().build();
                if (scheduler.rescheduleJob(pending.getKey(), renewed) != null) {
                    return false;
                }
                break; // it fired meanwhile: this push needs a run of its own
            }
        }
        scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(TriggerKey.triggerKey(binding + "-" + UUID.randomUUID(), PUSH))
                .forJob(job).usingJobData("trigger", trigger).usingJobData(REQUESTED_AT, now).startNow().build());
        return true;
    }

    /** The config the daemon schedules now. */
    public DriftwardenConfig config() {
        return config.get();
    }

    /** Whether the scheduler is started and not shutting down. */
    public boolean ready() {
        try {
            return scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode();
        } catch (SchedulerException e) {
            return false;
        }
    }

    /**
     * One run of one binding (a Quartz job): recorded in the audit trail and the metrics. {@code requestedAt}: when
     * the push arrived or the cron firing was due — a fetch of its source that started since then serves it.
     */
    void run(String binding, String trigger, Instant requestedAt) {
        DriftwardenConfig current = config.get();
        if (current.bindings().stream().noneMatch(b -> b.name().equals(binding))) {
            LOG.warn("binding {} fired but is no longer in the config; skipped", binding);
            return;
        }
        long started = System.nanoTime();
        RunOutcome outcome = runs.run(current, new RunRequest(List.of(binding), null, trigger, false, null, null, requestedAt), audit);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Map<String, Integer> inventory = audit.inventory().sizes();
        metrics.record(outcome, took, inventory);
        outcome.results().forEach(result -> LOG.info("run {} ({}) binding {}: exit {}, {} drifted, {} corrected, {} failed{}", outcome.runId(),
                trigger, binding, outcome.exitCode(), result.driftCount(), result.correctedCount(), result.failedCount(),
                result.error() == null ? "" : ": " + result.error()));
    }

    /** Stops firing and waits for the running bindings to finish, so no intent is left without its outcome. */
    @Override
    public void close() throws SchedulerException {
        scheduler.shutdown(true);
    }

    /** The Quartz job of one binding; never two at once for one binding, across the cluster. */
    @DisallowConcurrentExecution
    static final class BindingJob implements Job {
        private final Daemon daemon;

        BindingJob(Daemon daemon) {
            this.daemon = daemon;
        }

        @Override
        public void execute(JobExecutionContext context) {
            JobDataMap data = context.getMergedJobDataMap();
            String trigger = data.containsKey("trigger") ? data.getString("trigger") : CRON;
            Instant requestedAt = data.containsKey(REQUESTED_AT) ? Instant.ofEpochMilli(data.getLong(REQUESTED_AT))
                    : context.getScheduledFireTime().toInstant();
            try {
                daemon.run(context.getJobDetail().getKey().getName(), trigger, requestedAt);
            } catch (RuntimeException e) {
                LOG.error("binding {}: the run failed: {}", context.getJobDetail().getKey().getName(), e.getMessage());
            }
        }
    }
}
