package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditException;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.ChainVerifier;
import io.driftwarden.audit.Checkpoints;
import io.driftwarden.audit.Retention;
import io.driftwarden.config.CheckpointSettings;
import io.driftwarden.config.ConfigException;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code driftwarden audit …}: checks on the audit store itself. */
@Command(name = "audit", description = "Check the audit trail.", mixinStandardHelpOptions = true,
        subcommands = {AuditCommand.Verify.class, AuditCommand.Prune.class, AuditCommand.WriteCheckpoint.class})
public class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /**
     * {@code driftwarden audit verify}: walks the hash chain; exit 0 when whole, 1 naming the first broken row. With
     * {@code --checkpoints} and {@code --public-key} also checks the signed checkpoints and that the store still holds what
     * they signed.
     */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the audit chain: exit 0 when every row is as written and every INTENT has an outcome, "
                    + "1 naming the first row edited, inserted, deleted or reordered (and each INTENT without an outcome). "
                    + "With --checkpoints and --public-key, also check the signed checkpoints (their signatures and their own chain) "
                    + "and that the store still holds every row they signed: exit 1 naming the first checkpoint contradicted.")
    public static class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        @Option(names = "--archive", paramLabel = "FILE",
                description = "Without --checkpoints: check this archive (written by audit prune) instead. With --checkpoints: "
                        + "the archives that prove the pruned rows from the start of the chain (repeatable).")
        List<Path> archives = new ArrayList<>();

        @Option(names = "--checkpoints", paramLabel = "FILE", description = "The checkpoints file (audit.checkpoints.file).")
        Path checkpoints;

        @Option(names = "--public-key", paramLabel = "PEM", description = "The Ed25519 public key (PEM) the checkpoints are signed with.")
        Path publicKey;

        @Option(names = {"-o", "--format"}, paramLabel = "FORMAT",
                description = "text (default) or json: one object with ok, and what was checked (chain, archives, checkpoints).")
        Format format = Format.text;

        @Override
        public Integer call() throws Exception {
            PrintWriter text = spec.commandLine().getOut();
            // with --format json the lines go nowhere and the object is printed instead
            PrintWriter out = format == Format.json ? new PrintWriter(java.io.Writer.nullWriter()) : text;
            ObjectNode json = JSON.createObjectNode().put("ok", true);
            if ((checkpoints == null) != (publicKey == null)) {
                throw new ParameterException(spec.commandLine(), "--checkpoints and --public-key go together");
            }
            if (checkpoints == null && !archives.isEmpty()) {
                boolean ok = true;
                ArrayNode checked = json.putArray("archives");
                for (Path archive : archives) {
                    ChainVerifier.Result result = Retention.verifyArchive(archive);
                    out.println(result.ok() ? "archive intact: " + result.rows() + " rows" : "archive BROKEN: " + result.problem());
                    checked.addObject().put("file", archive.toString()).put("ok", result.ok()).put("rows", result.rows())
                            .put("problem", result.problem());
                    ok &= result.ok();
                }
                return finish(text, json, ok);
            }
            java.security.PublicKey key = null;
            if (publicKey != null) {
                try {
                    key = Checkpoints.publicKey(Files.readString(publicKey), publicKey.toString());
                } catch (java.io.IOException | AuditException e) {
                    throw new ParameterException(spec.commandLine(), "--public-key: " + e.getMessage());
                }
            }
            try (AuditLog audit = AuditLog.open(config.auditSettings(), Clock.systemUTC())) {
                boolean ok = chain(audit, out, json);
                if (key != null) {
                    Checkpoints.Result signed = Checkpoints.verify(checkpoints, key, audit.dataSource(), archives);
                    out.println(signed.ok() ? "checkpoints intact: " + signed.checkpoints() + " signed checkpoints agree with the store"
                            : "checkpoints BROKEN: " + signed.problem());
                    signed.notes().forEach(note -> out.println("note: " + note));
                    ObjectNode checked = json.putObject("checkpoints").put("ok", signed.ok()).put("checkpoints", signed.checkpoints())
                            .put("problem", signed.problem());
                    signed.notes().forEach(checked.putArray("notes")::add);
                    ok &= signed.ok();
                }
                return finish(text, json, ok);
            }
        }

        /**
         * Walks the chain, printing what it found to {@code out} and adding it to {@code json} as {@code chain}: what
         * {@code audit verify --format json} prints, and what an evidence bundle keeps. Returns whether it verified.
         */
        static boolean chain(AuditLog audit, PrintWriter out, ObjectNode json) {
            ChainVerifier.Result result = audit.verify();
            ObjectNode chain = json.putObject("chain").put("intact", result.problem() == null).put("rows", result.rows());
            if (result.problem() != null) {
                out.println("chain BROKEN: " + result.problem());
                chain.put("problem", result.problem());
            } else {
                long head = audit.head().seq();
                out.println("chain intact: " + result.rows() + " rows, head at seq " + head);
                chain.put("headSeq", head);
            }
            ArrayNode unfinished = chain.putArray("unfinished");
            result.openIntents().forEach(intent -> {
                out.println("unfinished: " + intent);
                unfinished.add(String.valueOf(intent));
            });
            return result.ok();
        }

        private int finish(PrintWriter text, ObjectNode json, boolean ok) {
            if (format == Format.json) {
                text.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json.put("ok", ok)));
            }
            text.flush();
            return ok ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
            CheckpointSettings settings = checkpointSettings(config);
            if (settings != null) { // the key is read before any row is deleted: a prune is never left unsigned for want of it
                try {
                    Checkpoints.privateKey(settings.signingKey().resolve(), settings.signingKey().toString());
                } catch (AuditException | IllegalStateException | java.io.UncheckedIOException e) {
                    throw new ConfigException(List.of(settings.signingKey().origin() + ": audit.checkpoints.signingKeyFrom: " + e.getMessage()));
                }
            }
            try (AuditLog audit = AuditLog.open(config.auditSettings(), Clock.systemUTC())) {
                Retention.Pruned pruned = audit.prune(Instant.now().minus(Durations.parse(olderThan)), archive);
                spec.commandLine().getOut().println(pruned.rows() == 0 ? "nothing older than " + olderThan
                        : "archived and deleted " + pruned.rows() + " rows through seq " + pruned.throughSeq() + " to " + archive);
                spec.commandLine().getOut().flush();
                if (pruned.rows() > 0) {
                    return signed(spec, () -> Checkpoints.afterPrune(settings, audit, Clock.systemUTC()));
                }
            }
            return ExitCodes.OK;
        }
    }

    /** {@code driftwarden audit checkpoint}: signs the chain as it is now, on demand. */
    @Command(name = "checkpoint", mixinStandardHelpOptions = true,
            description = "Sign the chain's head and anchor now and append the checkpoint to audit.checkpoints.file; prints it.")
    public static class WriteCheckpoint implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            CheckpointSettings settings = checkpointSettings(config);
            if (settings == null) {
                throw new ConfigException(List.of((config.config != null ? config.config : Path.of("driftwarden.yaml"))
                        + ": audit.checkpoints is not configured (file and signingKeyFrom)"));
            }
            try (AuditLog audit = AuditLog.open(config.auditSettings(), Clock.systemUTC())) {
                return signed(spec, () -> Checkpoints.now(settings, audit, Clock.systemUTC()));
            }
        }
    }

    /** The checkpoint settings of the config ({@code null} when there is no config or no {@code audit.checkpoints}). */
    private static CheckpointSettings checkpointSettings(ConfigOption config) {
        return config.auditSettings().checkpoints();
    }

    /** Writes a checkpoint and prints its line (exit 0), or says why none was written (exit 1). */
    private static int signed(CommandSpec spec, java.util.function.Supplier<io.driftwarden.audit.Checkpoint> write) {
        try {
            io.driftwarden.audit.Checkpoint checkpoint = write.get();
            if (checkpoint != null) {
                spec.commandLine().getOut().println("checkpoint " + checkpoint.line());
                spec.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        } catch (AuditException | IllegalStateException | java.io.UncheckedIOException e) {
            spec.commandLine().getErr().println("error: no checkpoint was written: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ExitCodes.FAILED;
        }
    }
}
