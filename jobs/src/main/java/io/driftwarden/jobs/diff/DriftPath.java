package io.driftwarden.jobs.diff;

import io.driftwarden.kube.FieldPath;
import tools.jackson.databind.JsonNode;

/**
 * One path that drifted, why, and its values (already masked for Secrets; null = absent).
 * {@code manager} is the field manager that put a hand-added value there (null for {@link Reason#DIFFERS});
 * {@code changedBy} is who last changed the path and when, by {@code managedFields} (for every reason).
 */
public record DriftPath(FieldPath path, Reason reason, String manager, JsonNode live, JsonNode desired, ChangedBy changedBy) {

    public DriftPath {
        changedBy = changedBy == null ? ChangedBy.UNKNOWN : changedBy;
    }

    /** A path whose change is attributed only to {@code manager} (when known), at an unknown time. */
    public DriftPath(FieldPath path, Reason reason, String manager, JsonNode live, JsonNode desired) {
        this(path, reason, manager, live, desired, manager == null ? ChangedBy.UNKNOWN : new ChangedBy(manager, null));
    }

    /** Why a path counts as drift (DESIGN.md diff rules 1 and 2). */
    public enum Reason {
        /** Git sets it and the live value differs (or is absent). */
        DIFFERS,
        /** Present only live, put there by one of the binding's drift managers. */
        ADDED_BY_HAND,
        /** Present only live, applied by driftwarden earlier; Git no longer has it. */
        NO_LONGER_IN_GIT
    }

    /** {@code differs from Git}, {@code added by kubectl-edit}, {@code no longer in Git}. */
    public String because() {
        return switch (reason) {
            case DIFFERS -> "differs from Git";
            case ADDED_BY_HAND -> "added by " + manager;
            case NO_LONGER_IN_GIT -> "no longer in Git";
        };
    }

    /**
     * Why, with who changed it and when, as the drift output shows it: {@code differs from Git, changed by kubectl-scale at
     * 2026-12-03T02:14Z}, {@code added by kubectl-edit at 2026-12-03T02:14Z}, {@code no longer in Git, applied by
     * driftwarden at …} ({@code unknown} where {@code managedFields} say nothing).
     */
    public String explained() {
        return switch (reason) {
            case DIFFERS -> "differs from Git, changed by " + changedBy.text();
            case ADDED_BY_HAND -> "added by " + (changedBy.manager() == null ? new ChangedBy(manager, null) : changedBy).text();
            case NO_LONGER_IN_GIT -> "no longer in Git, applied by " + changedBy.text();
        };
    }

    /** Present live, absent from Git: only a removal corrects it. */
    public boolean liveOnly() {
        return reason != Reason.DIFFERS;
    }
}
