package io.driftwarden.jobs.diff;

/** How a desired object stands against the cluster. {@code EXTRA} (live only, left Git) comes with pruning. */
public enum DriftType {
    MISSING,
    MODIFIED,
    EXTRA,
    IN_SYNC
}
