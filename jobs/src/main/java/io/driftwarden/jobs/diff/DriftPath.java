package io.driftwarden.jobs.diff;

import io.driftwarden.kube.FieldPath;
import tools.jackson.databind.JsonNode;

/**
 * One path that drifted, why, and its values (already masked for Secrets; null = absent).
 * {@code manager} is the field manager that put a hand-added value there (null for {@link Reason#DIFFERS}).
 */
public record DriftPath(FieldPath path, Reason reason, String manager, JsonNode live, JsonNode desired) {

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

    /** Present live, absent from Git: only a removal corrects it. */
    public boolean liveOnly() {
        return reason != Reason.DIFFERS;
    }
}
