package io.driftwarden.cron.cli;

import io.driftwarden.config.Mode;
import picocli.CommandLine.Command;

/** {@code driftwarden plan}: {@code run --mode audit} that also prints each drift as a masked unified diff (--diff). Changes nothing. */
@Command(name = "plan", description = "Show drift without changing anything (run --mode audit, with diffs).", mixinStandardHelpOptions = true)
public class PlanCommand extends ReconcileCommand {

    @Override
    public Integer call() throws Exception {
        return execute(Mode.AUDIT, DiffStyle.unified, false, null);
    }
}
