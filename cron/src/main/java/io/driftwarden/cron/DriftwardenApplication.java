package io.driftwarden.cron;

import io.driftwarden.jobs.batch.ReconcileJobConfiguration;
import io.driftwarden.jobs.batch.ReconcileJobRunner;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The Spring context of a run: the {@code reconcile} job and nothing else (no auto-configuration, so nothing starts
 * that the run does not use). Started only after the config has been validated.
 */
@Configuration(proxyBeanMethods = false)
@Import(ReconcileJobConfiguration.class)
public class DriftwardenApplication {

    /** Starts the context, hands its job runner to {@code work}, and closes it. */
    public static <T> T withJobRunner(java.util.function.Function<ReconcileJobRunner, T> work) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DriftwardenApplication.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .registerShutdownHook(false).run()) {
            return work.apply(context.getBean(ReconcileJobRunner.class));
        }
    }
}
