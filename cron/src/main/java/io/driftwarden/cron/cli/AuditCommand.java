package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.ChainVerifier;
import io.driftwarden.audit.Retention;
import io.driftwarden.cron.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code driftwarden audit …}: checks on the audit store itself. */
@Command(name = "audit", description = "Check the audit trail.", mixinStandardHelpOptions = true,
        subcommands = {AuditCommand.Verify.class, AuditCommand.Prune.class})
public class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code driftwarden audit verify}: walks the hash chain; exit 0 when whole, 1 naming the first broken row. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the audit chain: exit 0 when every row is as written and every INTENT has an outcome, "
                    + "1 naming the first row edited, inserted, deleted or reordered (and each INTENT without an outcome).")
    public static class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        @Option(names = "--archive", paramLabel = "FILE", description = "Check this archive (written by audit prune) instead.")
        Path archive;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (archive != null) {
                ChainVerifier.Result result = Retention.verifyArchive(archive);
                out.println(result.ok() ? "archive intact: " + result.rows() + " rows" : "archive BROKEN: " + result.problem());
                out.flush();
                return result.ok() ? ExitCodes.OK : ExitCodes.FAILED;
            }
            try (AuditLog audit = AuditLog.open(config.auditSettings(), Clock.systemUTC())) {
                ChainVerifier.Result result = audit.verify();
                if (result.problem() != null) {
                    out.println("chain BROKEN: " + result.problem());
                } else {
                    out.println("chain intact: " + result.rows() + " rows, head at seq " + audit.head().seq());
                }
                result.openIntents().forEach(intent -> out.println("unfinished: " + intent));
                out.flush();
                return result.ok() ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }

    /** {@code driftwarden audit prune}: archive, then delete, the oldest rows. */
    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = "Write the rows older than DURATION to a gzip archive, then delete them; the chain then starts from "
                    + "the last archived row, and audit verify stays green.")
    public static class Prune implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        @Option(names = "--older-than", required = true, paramLabel = "DURATION", description = "e.g. 90d, 12h.")
        String olderThan;

        @Option(names = "--archive", required = true, paramLabel = "FILE", description = "Where the rows go first (gzip, JSON lines).")
        Path archive;

        @Override
        public Integer call() throws Exception {
            if (!Durations.matches(olderThan)) {
                throw new ParameterException(spec.commandLine(), "--older-than must be a duration such as 90d or 12h, not '" + olderThan + "'");
            }
            if (Files.exists(archive)) {
                throw new ParameterException(spec.commandLine(), "--archive " + archive + " exists; archives are never overwritten");
            }
            try (AuditLog audit = AuditLog.open(config.auditSettings(), Clock.systemUTC())) {
                Retention.Pruned pruned = audit.prune(Instant.now().minus(Durations.parse(olderThan)), archive);
                spec.commandLine().getOut().println(pruned.rows() == 0 ? "nothing older than " + olderThan
                        : "archived and deleted " + pruned.rows() + " rows through seq " + pruned.throughSeq() + " to " + archive);
                spec.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        }
    }
}
