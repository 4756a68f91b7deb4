package io.driftwarden.audit;

import java.time.Instant;

/** The row that closes a run: when it ran, how it was triggered, and what it found and did. */
public record RunSummary(
        String runId, String trigger, String mode, Instant startedAt, Instant finishedAt, int exitCode,
        int bindings, int drifts, int corrected, int failed) {
}
