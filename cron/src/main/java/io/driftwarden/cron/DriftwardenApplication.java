package io.driftwarden.cron;

import io.driftwarden.cron.schedule.SyncWindows;
import io.driftwarden.jobs.batch.ReconcileJobConfiguration;
import io.driftwarden.jobs.batch.ReconcileJobRunner;
import io.driftwarden.jobs.lifecycle.Runs;
import io.driftwarden.cron.metrics.RunMetrics;
import io.driftwarden.notify.Notifier;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The Spring context of the runs of this process: the {@code reconcile} job and its JDBC job repository on the audit
 * store, nothing else (no auto-configuration, so nothing starts that a run does not use). Started on the first run,
 * only after the config has been validated, and kept for the process's later runs on the same store (the demo's
 * three; the daemon's many); closed at exit.
 */
@Configuration(proxyBeanMethods = false)
@Import(ReconcileJobConfiguration.class)
public class DriftwardenApplication {

    private static ConfigurableApplicationContext context;
    private static DataSource contextStore;

    /**
     * The runs of this process (the commands', the daemon's, the demo's): the run lifecycle of jobs/ with the sync
     * windows read by Quartz, the job runner of this context, and the config's notifications sent once a run's
     * bindings have finished (each target within its timeout; a failed delivery is a NOTIFY_FAILED row, never an exit
     * code).
     */
    public static Runs runs(Clock clock, Path gitCache) {
        Notifier notifier = new Notifier(clock);
        return new Runs(clock, gitCache, SyncWindows.QUARTZ, DriftwardenApplication::jobRunner, notifier::afterRun);
    }

    /** {@link #runs(Clock, Path)} whose notifications are also counted in {@code metrics}. */
    public static Runs runs(Clock clock, Path gitCache, RunMetrics metrics) {
        Notifier notifier = new Notifier(clock);
        return new Runs(clock, gitCache, SyncWindows.QUARTZ, DriftwardenApplication::jobRunner,
                (config, runId, audit, stopped) -> metrics.notified(notifier.afterRun(config, runId, audit, stopped)));
    }

    /**
     * The job runner of the context on {@code auditStore} (started if needed); runs of several threads (the daemon's
     * bindings) share it and run at once.
     */
    public static synchronized ReconcileJobRunner jobRunner(DataSource auditStore) {
        if (context == null || contextStore != auditStore) {
            if (context != null) {
                context.close();
            }
            context = new SpringApplicationBuilder(DriftwardenApplication.class)
                    .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false).registerShutdownHook(false)
                    .initializers(ctx -> ctx.getBeanFactory().registerSingleton(ReconcileJobConfiguration.DATA_SOURCE, auditStore))
                    .run();
            contextStore = auditStore;
        }
        return context.getBean(ReconcileJobRunner.class);
    }

    /**
     * Closes the context. Not a JVM shutdown hook of Spring's own: the daemon's SIGTERM handling closes it only after
     * the running bindings have finished.
     */
    public static synchronized void shutdown() {
        if (context != null) {
            context.close();
            context = null;
            contextStore = null;
        }
    }
}
