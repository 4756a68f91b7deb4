package io.driftwarden.cron.metrics;

import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.health.HealthState;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import io.driftwarden.jobs.lifecycle.RunOutcome;
import io.driftwarden.notify.Notifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runs as Prometheus series (Micrometer): runs by outcome, drifts found / corrected / failed per binding and
 * cluster, run duration, last successful run per binding, objects managed and objects out of sync per binding, the
 * objects per kstatus health state at each binding's last health read and the health failures. The daemon serves them on
 * {@code /metrics}; a one-shot run can write them to a file for node-exporter's textfile collector.
 */
public final class RunMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> managed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> outOfSync = new ConcurrentHashMap<>();
    /** binding → kstatus state → objects in that state at the binding's last health read. */
    private final Map<String, Map<HealthState, AtomicLong>> health = new ConcurrentHashMap<>();

    /** The run series only: what a one-shot run writes for the textfile collector (its JVM is gone when it is read). */
    public RunMetrics() {
    }

    /**
     * The run series and the JVM and process series of Micrometer's binders (memory, GC, threads, classes, CPU, uptime,
     * file descriptors): what the daemon serves on {@code /metrics}.
     */
    public static RunMetrics withJvm() {
        RunMetrics metrics = new RunMetrics();
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(), new ProcessorMetrics(),
                new UptimeMetrics(), new FileDescriptorMetrics()).forEach(binder -> binder.bindTo(metrics.registry));
        return metrics;
    }

    /** Records a finished run that took {@code took}; {@code inventory} is the objects each binding manages now. */
    public void record(RunOutcome outcome, Duration took, Map<String, Integer> inventory) {
        String result = switch (outcome.exitCode()) {
            case ExitCodes.OK -> "success";
            case ExitCodes.DRIFT -> "drift";
            default -> "failed";
        };
        Counter.builder("driftwarden.runs").description("Runs by outcome: success, drift (left in place), failed")
                .tag("outcome", result).register(registry).increment();
        Timer.builder("driftwarden.run.duration").description("How long a run took").register(registry).record(took);
        for (BindingResult binding : outcome.results()) {
            String[] tags = {"binding", binding.binding(), "cluster", binding.cluster()};
            Counter.builder("driftwarden.drifts.found").description("Drifted objects found").tags(tags).register(registry)
                    .increment(binding.driftCount());
            Counter.builder("driftwarden.drifts.corrected").description("Drifted objects corrected").tags(tags).register(registry)
                    .increment(binding.correctedCount());
            Counter.builder("driftwarden.corrections.failed").description("Corrections that failed").tags(tags).register(registry)
                    .increment(binding.failedCount());
            if (!binding.failed()) {
                gauge("driftwarden.last.success", "When the binding last ran without failure (seconds since the epoch)", lastSuccess, binding, tags)
                        .set(Instant.now().getEpochSecond());
            }
            gauge("driftwarden.objects.managed", "Objects the binding applied and manages", managed, binding, tags)
                    .set(inventory.getOrDefault(binding.binding(), 0));
            Counter.builder("driftwarden.health.failed").description("Objects whose health failed their binding (Failed, or InProgress when the wait ran out)")
                    .tags(tags).register(registry).increment(binding.unhealthyCount());
            if (!binding.health().objects().isEmpty()) {
                Map<HealthState, AtomicLong> states = health.computeIfAbsent(binding.binding(), b -> {
                    Map<HealthState, AtomicLong> byState = new java.util.EnumMap<>(HealthState.class);
                    for (HealthState state : HealthState.values()) {
                        AtomicLong value = new AtomicLong();
                        Gauge.builder("driftwarden.health", value, AtomicLong::doubleValue)
                                .description("Objects assessed at the binding's last health read, by kstatus state")
                                .tags(tags).tag("state", state.kstatusName()).register(registry);
                        byState.put(state, value);
                    }
                    return byState;
                });
                states.forEach((state, value) -> value.set(binding.health().count(state)));
            }
            if (binding.error() == null && binding.skipped() == null) { // not reconciled: its drift is not known, the last value stands
                gauge("driftwarden.binding.out.of.sync", "Objects drifted at the end of the binding's last run (found and not corrected)",
                        outOfSync, binding, tags).set(Math.max(0, binding.driftCount() - binding.correctedCount()));
            }
        }
    }

    private AtomicLong gauge(String name, String description, Map<String, AtomicLong> values, BindingResult binding, String[] tags) {
        return values.computeIfAbsent(binding.binding(), b -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::doubleValue).description(description).tags(tags).register(registry);
            return value;
        });
    }

    /**
     * A run's notifications were sent: per target, {@code driftwarden_notifications_total{target,outcome}} counts its
     * messages {@code delivered} and {@code failed} (a failed one is also a {@code NOTIFY_FAILED} audit row).
     */
    public void notified(List<Notifier.Sent> sent) {
        for (Notifier.Sent target : sent) {
            notifications(target.target(), "delivered").increment(target.delivered());
            notifications(target.target(), "failed").increment(target.messages() - target.delivered());
        }
    }

    private Counter notifications(String target, String outcome) {
        return Counter.builder("driftwarden.notifications").description("Notification messages by target and outcome (delivered, failed)")
                .tags("target", target, "outcome", outcome).register(registry);
    }

    /** A push webhook answered: {@code accepted}, {@code unauthorized} or {@code too_large}. */
    public void webhook(String provider, String outcome) {
        Counter.builder("driftwarden.webhooks").description("Push webhooks by provider and outcome")
                .tags("provider", provider, "outcome", outcome).register(registry).increment();
    }

    /** The Prometheus text exposition of every series. */
    public String scrape() {
        return registry.scrape();
    }

    /** Writes {@link #scrape} to {@code file} atomically (a rename), as node-exporter's textfile collector needs. */
    public void writeTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        Files.writeString(temporary, scrape());
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
