package io.driftwarden.cron;

import io.driftwarden.jobs.batch.ReconcileJobConfiguration;
import io.driftwarden.jobs.batch.ReconcileJobRunner;
import java.util.function.Function;
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

    /** Hands the job runner of the context on {@code auditStore} (started if needed) to {@code work}. */
    public static synchronized <T> T withJobRunner(DataSource auditStore, Function<ReconcileJobRunner, T> work) {
        if (context == null || contextStore != auditStore) {
            if (context != null) {
                context.close();
            }
            context = new SpringApplicationBuilder(DriftwardenApplication.class)
                    .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false).registerShutdownHook(true)
                    .initializers(ctx -> ctx.getBeanFactory().registerSingleton(ReconcileJobConfiguration.DATA_SOURCE, auditStore))
                    .run();
            contextStore = auditStore;
        }
        return work.apply(context.getBean(ReconcileJobRunner.class));
    }
}
