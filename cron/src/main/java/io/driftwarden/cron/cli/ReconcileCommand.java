package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.ConfigException;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.EnvironmentCheck;
import io.driftwarden.config.Mode;
import io.driftwarden.cron.DriftwardenApplication;
import io.driftwarden.cron.metrics.RunMetrics;
import io.driftwarden.jobs.lifecycle.RunOutcome;
import io.driftwarden.jobs.lifecycle.RunRequest;
import io.driftwarden.jobs.lifecycle.RunStop;
import io.driftwarden.jobs.lifecycle.Runs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What {@code run} and {@code plan} share: the options that pick bindings and output, and the run itself. */
abstract class ReconcileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--binding", paramLabel = "NAME", description = "Only this binding (repeatable).")
    List<String> bindings = new ArrayList<>();

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", description = "What is printed: text or json (default: text).")
    Format format = Format.text;

    @Option(names = "--diff", paramLabel = "STYLE",
            description = "How each drifted object is shown: paths, unified (live -> Git, as kubectl diff) or none. Default: unified for plan, none for run.")
    DiffStyle diff;

    @Option(names = "--trigger", paramLabel = "TRIGGER", description = "Recorded in the audit trail: manual (default), cronjob, cron or webhook.")
    String trigger = "manual";

    /** One run; {@code metricsFile} (may be null) receives its Prometheus series. */
    protected Integer execute(Mode runMode, DiffStyle defaultDiff, boolean ignoreWindows, java.nio.file.Path metricsFile) throws Exception {
        return execute(runMode, defaultDiff, ignoreWindows, metricsFile, null);
    }

    /** One run whose bindings wait {@code healthWait} for health (null: each binding's own {@code health.wait}). */
    protected Integer execute(Mode runMode, DiffStyle defaultDiff, boolean ignoreWindows, java.nio.file.Path metricsFile,
                              java.time.Duration healthWait) throws Exception {
        if (!Set.of("manual", "cronjob", "cron", "webhook").contains(trigger)) {
            throw new ParameterException(spec.commandLine(), "--trigger must be manual, cronjob, cron or webhook");
        }
        DriftwardenConfig loaded = config.load();
        Set<String> known = loaded.bindings().stream().map(b -> b.name()).collect(Collectors.toSet());
        List<String> unknown = bindings.stream().filter(b -> !known.contains(b)).toList();
        if (!unknown.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no binding named " + String.join(", ", unknown) + " in " + loaded.file());
        }
        List<String> environment = EnvironmentCheck.problems(loaded, loaded.bindings().stream()
                .filter(b -> bindings.isEmpty() || bindings.contains(b.name())).toList());
        if (!environment.isEmpty()) {
            throw new ConfigException(environment); // before anything is contacted: never another cluster than named
        }
        RunOutcome outcome;
        RunStop stop = new RunStop();
        try (AuditLog audit = AuditLog.open(loaded.audit(), Clock.systemUTC()); Sigterm ignored = Sigterm.stops(stop)) {
            long started = System.nanoTime();
            RunMetrics metrics = new RunMetrics();
            outcome = DriftwardenApplication.runs(Clocks.system(), Runs.defaultGitCache(), metrics)
                    .run(loaded, new RunRequest(bindings, runMode, trigger, ignoreWindows, null, healthWait), audit, stop);
            if (metricsFile != null) {
                metrics.record(outcome, java.time.Duration.ofNanos(System.nanoTime() - started), audit.inventory().sizes());
                metrics.writeTo(metricsFile);
            }
        }
        new RunPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), diff == null ? defaultDiff : diff).print(outcome, format);
        return outcome.exitCode();
    }

    /** Restarts a failed or abandoned run (the bindings it did not finish) and prints the outcome. */
    protected Integer restart(String runId, boolean ignoreWindows) throws Exception {
        DriftwardenConfig loaded = config.load();
        List<String> environment = EnvironmentCheck.problems(loaded, loaded.bindings());
        if (!environment.isEmpty()) {
            throw new ConfigException(environment);
        }
        RunOutcome outcome;
        RunStop stop = new RunStop();
        try (AuditLog audit = AuditLog.open(loaded.audit(), Clock.systemUTC()); Sigterm ignored = Sigterm.stops(stop)) {
            try {
                outcome = DriftwardenApplication.runs(Clocks.system(), Runs.defaultGitCache()).restart(loaded, runId, audit, ignoreWindows, stop);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        new RunPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), diff == null ? DiffStyle.none : diff).print(outcome, format);
        return outcome.exitCode();
    }
}
