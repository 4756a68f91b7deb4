package io.driftwarden.cron.cli;

import io.driftwarden.config.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code driftwarden run}: one reconcile of every (or the named) binding; the exit code says what happened. */
@Command(name = "run", description = "Reconcile once: correct drift (enforce) or record it (audit).", mixinStandardHelpOptions = true)
public class RunCommand extends ReconcileCommand {

    @Option(names = "--mode", paramLabel = "MODE", description = "enforce or audit for every binding (default: each binding's own).")
    String mode;

    @Option(names = "--restart", paramLabel = "RUN_ID",
            description = "Restart this failed run, or one whose process died (its lease is older than audit.leaseTimeout): the bindings"
                    + " it did not finish run again as run RUN_ID.restart-N, in the mode it was asked for, with today's sync windows, reading Git anew.")
    String restart;

    @Option(names = "--metrics-file", paramLabel = "FILE",
            description = "Also write the run's Prometheus series to FILE (for node-exporter's textfile collector).")
    java.nio.file.Path metricsFile;

    @Option(names = "--wait", paramLabel = "DURATION",
            description = "Wait up to DURATION (e.g. 90s, 2m) for what each binding wrote to become healthy, instead of each binding's"
                    + " health.wait; Failed, or InProgress at the end, fails the binding.")
    String healthWait;

    @Option(names = "--ignore-windows", description = "Correct drift even in a closed sync window (recorded in the audit trail).")
    boolean ignoreWindows;

    @Override
    public Integer call() throws Exception {
        if (restart != null) {
            if (mode != null || !bindings.isEmpty() || healthWait != null) {
                throw new ParameterException(spec.commandLine(), "--restart takes the run's own bindings, mode and waits; drop --binding, --mode and --wait");
            }
            return restart(restart, ignoreWindows);
        }
        if (healthWait != null && !Durations.matches(healthWait)) {
            throw new ParameterException(spec.commandLine(), "--wait must be a number and a unit (s, m, h), such as 90s or 2m, not '" + healthWait + "'");
        }
        return execute(parseMode(), DiffStyle.none, ignoreWindows, metricsFile, healthWait == null ? null : Durations.parse(healthWait));
    }

    private Mode parseMode() {
        if (mode == null) {
            return null;
        }
        return switch (mode) {
            case "enforce" -> Mode.ENFORCE;
            case "audit" -> Mode.AUDIT;
            default -> throw new ParameterException(spec.commandLine(), "--mode must be enforce or audit, not '" + mode + "'");
        };
    }
}
