package io.driftwarden.jobs.lifecycle;

import io.driftwarden.audit.Checkpoint;
import io.driftwarden.jobs.BindingResult;
import java.util.List;

/**
 * A finished run: its id, its per-binding results, its exit code, and the signed checkpoint written after it
 * ({@code null} when checkpoints are not configured or the run appended nothing; {@code checkpointError} says why one
 * could not be written).
 */
public record RunOutcome(String runId, String trigger, String mode, List<BindingResult> results, int exitCode, Checkpoint checkpoint,
                         String checkpointError) {

    public RunOutcome(String runId, String trigger, String mode, List<BindingResult> results, int exitCode) {
        this(runId, trigger, mode, results, exitCode, null, null);
    }
}
