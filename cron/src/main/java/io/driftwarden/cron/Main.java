package io.driftwarden.cron;

import io.driftwarden.config.ConfigException;
import io.driftwarden.cron.cli.AuditCommand;
import io.driftwarden.cron.cli.EvidenceCommand;
import io.driftwarden.cron.cli.RbacCommand;
import io.driftwarden.cron.cli.HistoryCommand;
import io.driftwarden.cron.cli.CompletionCommand;
import io.driftwarden.cron.cli.PlanCommand;
import io.driftwarden.cron.cli.RenderCommand;
import io.driftwarden.cron.cli.ReportCommand;
import io.driftwarden.cron.cli.RunCommand;
import io.driftwarden.cron.cli.SandboxCommand;
import io.driftwarden.cron.cli.ScheduleCommand;
import io.driftwarden.cron.cli.ValidateCommand;
import io.driftwarden.cron.cli.VersionCommand;
import io.driftwarden.cron.demo.DemoCommand;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The {@code driftwarden} command. */
@Command(name = "driftwarden", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "GitOps reconciler run as a batch job: makes clusters match Git and keeps an audit trail of every drift and correction.",
        subcommands = {RunCommand.class, PlanCommand.class, ScheduleCommand.class, ReportCommand.class, HistoryCommand.class, AuditCommand.class, ValidateCommand.class,
            RenderCommand.class, RbacCommand.class, EvidenceCommand.class, SandboxCommand.class, DemoCommand.class, VersionCommand.class, CompletionCommand.class, HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every binding in sync at the end (corrections count as success)",
            "1:a binding or a correction failed, or a write was refused (tenancy)", "2:drift found and left in place", "64:bad usage or invalid config"})
public class Main implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Given anywhere on the command line: logs as JSON lines (text by default). */
    @CommandLine.Option(names = "--log-format", paramLabel = "FORMAT", scope = CommandLine.ScopeType.INHERIT,
            description = "text (default) or json: each log line on stderr a JSON object.")
    void logFormat(String format) {
        if (format.equals("json")) {
            Logging.json();
        } else if (!format.equals("text")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--log-format must be text or json, not '" + format + "'");
        }
    }

    /** Given anywhere on the command line: debug lines and stack traces on stderr. */
    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Log each retry and print stack traces on stderr (by default errors are one line each).")
    void debug(boolean on) {
        if (on) {
            Logging.debug();
        }
    }

    /** No subcommand: show the usage and fail as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    public static void main(String[] args) {
        int exit = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        DriftwardenApplication.shutdown();
        System.exit(exit);
    }

    static {
        // logback.xml configures logging once; Spring Boot would configure it again as each context starts
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        if (System.console() != null && System.getProperty("driftwarden.log.progress") == null) {
            System.setProperty("driftwarden.log.progress", "INFO"); // on a terminal: a line per binding as it goes
        }
    }

    /** Runs the CLI and returns its exit code; usage errors are 64, never picocli's 2 (which means "drift" here). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !e.getCommandLine().getSubcommands().isEmpty()
                    && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
                // as kubectl says it: the word that is not a command, a near one if any, and where the commands are listed
                String command = e.getCommandLine().getCommandSpec().qualifiedName();
                err.println("error: unknown command '" + unmatched.getUnmatched().get(0) + "' for '" + command + "'");
                CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
                err.println("Run '" + command + " --help' for the commands.");
                return ExitCodes.USAGE;
            }
            err.println("error: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
                e.getCommandLine().usage(err);
            }
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException config) {
                err.println("error: invalid config:");
                config.problems().forEach(problem -> err.println("  " + problem));
                return ExitCodes.USAGE;
            }
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        });
        cli.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
        return cli.execute(args);
    }
}
