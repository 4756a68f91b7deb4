package io.driftwarden.jobs.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A Pod (kstatus {@code core.go} {@code podConditions}): Succeeded and Failed pods have finished (Current — kstatus
 * reports a completed pod as reconciled, whatever its exit); a Running pod is Current when {@code Ready=True}, Failed when
 * a container is in {@code CrashLoopBackOff}, else InProgress; a Pending pod is InProgress, and Failed when
 * {@code PodScheduled=False} says {@code Unschedulable} for longer than kstatus's 15-second schedule window; no phase
 * yet is InProgress. A phase kstatus does not know is Unknown (kstatus returns an error there).
 */
final class PodHealth implements KindRule {

    /** kstatus {@code ScheduleWindow}: how long a pod may be unschedulable before it is reported as such. */
    static final Duration SCHEDULE_WINDOW = Duration.ofSeconds(15);

    private final Clock clock;

    PodHealth(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Health assess(JsonNode pod) {
        String phase = Status.text(pod, "/status/phase", "");
        switch (phase) {
            case "Succeeded" -> {
                return Health.current("Pod has completed successfully");
            }
            case "Failed" -> {
                return Health.current("Pod has completed, but not successfully");
            }
            case "Running" -> {
                if (Status.hasCondition(pod, "Ready", "True")) {
                    return Health.current("Pod is Ready");
                }
                List<String> crashLooping = new ArrayList<>();
                for (JsonNode container : pod.path("status").path("containerStatuses")) {
                    if (container.at("/state/waiting/reason").asString("").equals("CrashLoopBackOff")) {
                        crashLooping.add(container.path("name").asString(""));
                    }
                }
                if (!crashLooping.isEmpty()) {
                    return Health.failed("ContainerCrashLooping", "Containers in CrashLoop state: " + String.join(",", crashLooping));
                }
                return Health.inProgress("PodRunningNotReady", "Pod is running but is not Ready");
            }
            case "Pending" -> {
                var unschedulable = Status.condition(pod, "PodScheduled")
                        .filter(c -> "False".equals(c.path("status").asString("")) && Status.reason(c).equals("Unschedulable"));
                if (unschedulable.isPresent()) {
                    if (withinScheduleWindow(pod)) {
                        return Health.inProgress("PodNotScheduled", "Pod has not been scheduled");
                    }
                    return Health.failed("PodUnschedulable", "Pod could not be scheduled");
                }
                return Health.inProgress("PodPending", "Pod is in the Pending phase");
            }
            case "" -> {
                return Health.inProgress("PodNotObserved", "Pod phase not available");
            }
            default -> {
                return Health.unknown("UnknownPhase", "unknown phase " + phase);
            }
        }
    }

    private boolean withinScheduleWindow(JsonNode pod) {
        try {
            Instant created = Instant.parse(pod.at("/metadata/creationTimestamp").asString(""));
            return clock.instant().minus(SCHEDULE_WINDOW).isBefore(created);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
