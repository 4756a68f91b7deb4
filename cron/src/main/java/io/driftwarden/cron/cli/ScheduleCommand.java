package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.ConfigException;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.EnvironmentCheck;
import io.driftwarden.cron.DriftwardenApplication;
import io.driftwarden.cron.metrics.RunMetrics;
import io.driftwarden.cron.schedule.ConfigReloader;
import io.driftwarden.cron.schedule.Daemon;
import io.driftwarden.cron.schedule.Endpoints;
import io.driftwarden.jobs.lifecycle.Runs;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code driftwarden schedule}: the long-running reconciler. Each binding runs on its {@code schedule}, pushes run
 * them at once, {@code /metrics} and the probes answer on {@code --port}. SIGTERM lets the running bindings finish,
 * then exits; SIGHUP (or a change of the file) reloads the config.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Run as a daemon: each binding on its cron (Quartz, clustered on the audit database), push webhooks, metrics and probes.")
public class ScheduleCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port of the webhook, /metrics and the probes (default 8080).")
    int port = 8080;

    @Option(names = "--address", paramLabel = "ADDRESS", description = "Address to listen on (default 0.0.0.0).")
    String address = "0.0.0.0";

    @Option(names = "--reload-every", paramLabel = "DURATION", description = "How often the config file is checked for changes (default 10s).")
    String reloadEvery = "10s";

    @Override
    public Integer call() throws Exception {
        if (!Durations.matches(reloadEvery)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--reload-every must be a duration such as 10s or 1m");
        }
        DriftwardenConfig loaded = config.load();
        List<String> environment = EnvironmentCheck.daemonProblems(loaded);
        if (!environment.isEmpty()) {
            throw new ConfigException(environment);
        }
        AuditLog audit = AuditLog.open(loaded.audit(), Clock.systemUTC());
        RunMetrics metrics = RunMetrics.withJvm();
        Daemon daemon = Daemon.start(loaded, audit, DriftwardenApplication.runs(Clock.systemUTC(), Runs.defaultGitCache(), metrics), metrics);
        Endpoints endpoints = Endpoints.start(new InetSocketAddress(address, port), daemon, metrics);
        ConfigReloader reloader = ConfigReloader.start(loaded.file(), daemon, Durations.parse(reloadEvery));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: the running bindings finish first");
            reloader.close();
            endpoints.close();
            try {
                daemon.close();
                DriftwardenApplication.shutdown();
                audit.close();
            } catch (Exception e) {
                LOG.error("stopping: {}", e.getMessage());
            }
            LOG.info("stopped");
            stopped.countDown();
        }, "driftwarden-stop"));
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reloader.reloadNow());
        } catch (IllegalArgumentException noSighup) {
            LOG.info("no SIGHUP on this platform; the config file is still watched");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("driftwarden schedule: %d bindings from %s; http on %s:%d (/hooks/github, /hooks/gitlab, /hooks/generic, /metrics, "
                + "/healthz, /readyz)%n", loaded.bindings().size(), loaded.file(), address, endpoints.port());
        out.flush();
        stopped.await();
        return 0;
    }
}
