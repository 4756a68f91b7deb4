package io.driftwarden.cron.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.jobs.lifecycle.RunOutcome;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.diff.DriftType;
import io.driftwarden.jobs.health.Health;
import io.driftwarden.jobs.health.HealthReport;
import io.driftwarden.jobs.health.ObjectHealth;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.notify.Notifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class RunMetricsTest {

    @Test
    void outOfSyncIsTheDriftLeftAtTheEndOfTheLastRunPerBindingAndCluster() {
        RunMetrics metrics = new RunMetrics();

        metrics.record(outcome(result(3, Action.CONFIGURED, Action.SKIPPED, Action.FAILED)), Duration.ofSeconds(1), Map.of());
        assertThat(metrics.scrape()).contains("driftwarden_binding_out_of_sync{binding=\"shop\",cluster=\"prod\"} 2.0");

        metrics.record(outcome(result(1, Action.CONFIGURED)), Duration.ofSeconds(1), Map.of());
        assertThat(metrics.scrape()).contains("driftwarden_binding_out_of_sync{binding=\"shop\",cluster=\"prod\"} 0.0");
    }

    @Test
    void notificationsAreCountedPerTargetDeliveredAndFailedAcrossRuns() {
        RunMetrics metrics = new RunMetrics();

        metrics.notified(List.of(new Notifier.Sent("chat", 2, 2, List.of()), new Notifier.Sent("siem", 3, 1, List.of("HTTP 500", "HTTP 500"))));
        metrics.notified(List.of(new Notifier.Sent("chat", 1, 0, List.of("timed out"))));

        assertThat(metrics.scrape()).contains(
                "driftwarden_notifications_total{outcome=\"delivered\",target=\"chat\"} 2.0",
                "driftwarden_notifications_total{outcome=\"failed\",target=\"chat\"} 1.0",
                "driftwarden_notifications_total{outcome=\"delivered\",target=\"siem\"} 1.0",
                "driftwarden_notifications_total{outcome=\"failed\",target=\"siem\"} 2.0");
    }

    @Test
    void aBindingThatCouldNotBeReconciledKeepsItsLastValue() {
        RunMetrics metrics = new RunMetrics();
        metrics.record(outcome(result(2, Action.SKIPPED, Action.SKIPPED)), Duration.ofSeconds(1), Map.of());

        metrics.record(outcome(new BindingResult("shop", "prod", "shop", null, List.of(), List.of(), 0, List.of(), "Git unreachable")),
                Duration.ofSeconds(1), Map.of());

        assertThat(metrics.scrape()).contains("driftwarden_binding_out_of_sync{binding=\"shop\",cluster=\"prod\"} 2.0");
    }

    @Test
    void healthIsAGaugePerKstatusStateAndACounterOfObjectsThatFailedTheirBinding() {
        RunMetrics metrics = new RunMetrics();
        ObjectHealth web = new ObjectHealth(ResourceKey.of("apps/v1", "Deployment", "shop", "web"),
                Health.failed("ProgressDeadlineExceeded", "ReplicaSet \"web-1\" has timed out progressing."));
        ObjectHealth api = new ObjectHealth(ResourceKey.of("apps/v1", "Deployment", "shop", "api"), Health.current("Deployment is available."));
        HealthReport report = new HealthReport(List.of(web, api), 1, Duration.ZERO, List.of(web));

        metrics.record(outcome(new BindingResult("shop", "prod", "shop", null, List.of(), List.of(), 0, List.of(), null, null, report)),
                Duration.ofSeconds(1), Map.of());

        assertThat(metrics.scrape()).contains(
                "driftwarden_health{binding=\"shop\",cluster=\"prod\",state=\"Failed\"} 1.0",
                "driftwarden_health{binding=\"shop\",cluster=\"prod\",state=\"Current\"} 1.0",
                "driftwarden_health{binding=\"shop\",cluster=\"prod\",state=\"InProgress\"} 0.0",
                "driftwarden_health_failed_total{binding=\"shop\",cluster=\"prod\"} 1.0");
        assertThat(metrics.scrape()).doesNotContain("driftwarden_last_success{binding=\"shop\"");
    }

    @Test
    void theDaemonsRegistryHasTheJvmAndProcessSeriesAndAOneShotRunsHasNot() {
        assertThat(RunMetrics.withJvm().scrape()).contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "process_cpu_usage", "system_cpu_count", "process_uptime_seconds");
        assertThat(new RunMetrics().scrape()).doesNotContain("jvm_memory_used_bytes");
    }

    private static RunOutcome outcome(BindingResult result) {
        return new RunOutcome("run-1", "manual", "enforce", List.of(result), 0);
    }

    /** A binding with {@code drifted} drifted objects and these outcomes of their corrections. */
    private static BindingResult result(int drifted, Action... actions) {
        List<Drift> drifts = java.util.stream.IntStream.range(0, drifted).mapToObj(i -> new Drift(new DesiredObject(
                key(i), JsonNodeFactory.instance.objectNode(), "cm.yaml:1"), DriftType.MODIFIED, List.of(), null, null)).toList();
        List<Change> changes = java.util.stream.IntStream.range(0, actions.length).mapToObj(i -> new Change(key(i), actions[i], "")).toList();
        return new BindingResult("shop", "prod", "shop", null, drifts, changes, 0, List.of(), null);
    }

    private static ResourceKey key(int i) {
        return ResourceKey.of("v1", "ConfigMap", "shop", "cm-" + i);
    }
}
