package io.driftwarden.jobs.health;

import java.util.Collection;

/**
 * The health of one live object, in kstatus's words (sigs.k8s.io/cli-utils {@code pkg/kstatus/status/status.go}:
 * {@code Current}, {@code InProgress}, {@code Failed}, {@code Unknown}). Declared from best to worst in the order of
 * argoproj/gitops-engine's {@code pkg/health/health.go} {@code healthOrder} (Healthy, Suspended, Progressing, Missing,
 * Degraded, Unknown — kstatus itself orders nothing): Current, InProgress, Failed, and Unknown last, since a state that
 * could not be read promises nothing. kstatus's {@code Terminating} reads as InProgress and its {@code NotFound} as
 * Unknown, so the vocabulary stays these four.
 */
public enum HealthState {
    CURRENT("Current"),
    IN_PROGRESS("InProgress"),
    FAILED("Failed"),
    UNKNOWN("Unknown");

    private final String kstatusName;

    HealthState(String kstatusName) {
        this.kstatusName = kstatusName;
    }

    /** kstatus's name of the state, as audit rows, reports and output print it. */
    public String kstatusName() {
        return kstatusName;
    }

    /** Whether this state comes after {@code other} in gitops-engine's {@code healthOrder}. */
    public boolean isWorseThan(HealthState other) {
        return ordinal() > other.ordinal();
    }

    /** The worst of {@code states}; Current when there are none. */
    public static HealthState worst(Collection<HealthState> states) {
        return states.stream().reduce(CURRENT, (a, b) -> b.isWorseThan(a) ? b : a);
    }

    /** The state kstatus calls {@code name}, or null when it names none of the four. */
    public static HealthState ofKstatusName(String name) {
        for (HealthState state : values()) {
            if (state.kstatusName.equals(name)) {
                return state;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return kstatusName;
    }
}
