package io.driftwarden.cron.schedule;

import io.driftwarden.config.ConfigException;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.EnvironmentCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the daemon's config when the file changes (checked every {@code interval}) or on {@link #reloadNow}
 * (SIGHUP): the new file is validated as at start — Quartz crons, kubeconfigs, credentials — and applied only when
 * it is valid; otherwise its problems are logged and the running config stays. Every reload runs on the reloader's
 * own thread, one at a time, with the application's class loader: the JDK's signal thread has none, and Quartz's
 * JDBC store needs it. A file that failed for another reason than its content is tried again at the next check.
 */
public final class ConfigReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path file;
    private final Daemon daemon;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "config-reloader");
        thread.setDaemon(true);
        thread.setContextClassLoader(ConfigReloader.class.getClassLoader());
        return thread;
    });
    private byte[] digest;

    private ConfigReloader(Path file, Daemon daemon) {
        this.file = file;
        this.daemon = daemon;
        this.digest = digest(file);
    }

    public static ConfigReloader start(Path file, Daemon daemon, Duration interval) {
        ConfigReloader reloader = new ConfigReloader(file, daemon);
        reloader.timer.scheduleWithFixedDelay(reloader::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return reloader;
    }

    private void reloadIfChanged() {
        byte[] now = digest(file);
        if (!Arrays.equals(now, digest)) {
            reload();
        }
    }

    /** Reloads now, whether or not the file changed (SIGHUP); true when the daemon now runs the file. */
    public boolean reloadNow() {
        try {
            return timer.submit(this::reload).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | RejectedExecutionException e) {
            LOG.error("config {} not reloaded, the running config stays: {}", file, e.getMessage());
            return false;
        }
    }

    private boolean reload() {
        byte[] seen = digest(file);
        try {
            DriftwardenConfig next = ConfigLoader.load(file, QuartzCron.CHECK);
            List<String> environment = EnvironmentCheck.daemonProblems(next);
            if (!environment.isEmpty()) {
                throw new ConfigException(environment);
            }
            if (!next.audit().equals(daemon.config().audit())) {
                LOG.warn("config {}: the audit store changed; it takes effect when the daemon restarts", file);
            }
            daemon.apply(next);
            digest = seen;
            LOG.info("config {} reloaded: {} bindings", file, next.bindings().size());
            return true;
        } catch (ConfigException e) {
            digest = seen;
            LOG.error("config {} not reloaded, the running config stays:\n  {}", file, String.join("\n  ", e.problems()));
        } catch (Exception e) {
            LOG.error("config {} not reloaded, the running config stays: {}", file, e.getMessage());
        }
        return false;
    }

    private static byte[] digest(Path file) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return new byte[0];
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
