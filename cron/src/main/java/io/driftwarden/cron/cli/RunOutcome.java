package io.driftwarden.cron.cli;

import io.driftwarden.jobs.BindingResult;
import java.util.List;

/** A finished run: its id, its per-binding results, and its exit code. */
public record RunOutcome(String runId, String trigger, String mode, List<BindingResult> results, int exitCode) {
}
