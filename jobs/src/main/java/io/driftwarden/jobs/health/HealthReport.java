package io.driftwarden.jobs.health;

import java.time.Duration;
import java.util.List;

/**
 * The health of one binding's assessed objects after its writes: each object's last state, the LISTs it took
 * ({@code lists}; none when the objects were assessed from what the binding had already read), how long it waited, and
 * {@code failing} — the objects that fail the binding (Failed, or still InProgress when the wait ran out).
 */
public record HealthReport(List<ObjectHealth> objects, int lists, Duration waited, List<ObjectHealth> failing) {

    public static final HealthReport NONE = new HealthReport(List.of(), 0, Duration.ZERO, List.of());

    public HealthReport {
        objects = List.copyOf(objects);
        failing = List.copyOf(failing);
    }

    /** The same objects, failing nothing: health reported, not enforced (audit mode). */
    public HealthReport reportedOnly() {
        return new HealthReport(objects, lists, waited, List.of());
    }

    /** Why health fails the binding — each failing object with its reason — or null when it does not. */
    public String failure() {
        if (failing.isEmpty()) {
            return null;
        }
        return String.join("; ", failing.stream().map(o -> o.key().subject() + " is " + o.state() + ": " + o.health().describe()).toList());
    }

    /** The worst state among the objects (gitops-engine's {@code healthOrder}); Current when none was assessed. */
    public HealthState worst() {
        return HealthState.worst(objects.stream().map(ObjectHealth::state).toList());
    }

    public long count(HealthState state) {
        return objects.stream().filter(o -> o.state() == state).count();
    }
}
