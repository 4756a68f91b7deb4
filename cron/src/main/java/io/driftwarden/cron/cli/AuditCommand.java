package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.ChainVerifier;
import io.driftwarden.cron.ExitCodes;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code driftwarden audit …}: checks on the audit store itself. */
@Command(name = "audit", description = "Check the audit trail.", mixinStandardHelpOptions = true,
        subcommands = AuditCommand.Verify.class)
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

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
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
}
