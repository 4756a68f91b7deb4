package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditException;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.Ed25519;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.audit.report.ExceptionStatus;
import io.driftwarden.audit.evidence.EvidenceBundle;
import io.driftwarden.config.CheckpointSettings;
import io.driftwarden.config.ConfigException;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.EvidenceSettings;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code driftwarden evidence}: writes the signed evidence bundle of a period — the reports (CSV, JSON, HTML), the
 * chain's verification, the checkpoints that cover the period, the effective configuration (secrets as references) and
 * the signed manifest; {@code evidence verify} checks one offline.
 */
@Command(name = "evidence", mixinStandardHelpOptions = true, subcommands = EvidenceCommand.Verify.class,
        description = {"Write the signed evidence bundle of a period (reports, chain check, checkpoints, config, manifest).",
                "The new folder gets report.csv, report.json, report.html (the rows "
                + "and measures of [--since, --until)), audit-verify.json (the chain walked, as audit verify --format json "
                + "prints it), checkpoints.jsonl (the signed checkpoints covering the period, when audit.checkpoints is set), "
                + "config.json (the effective configuration: secrets by reference, never their values) and manifest.json "
                + "(SHA-256 of every file, the period, the tool's version, the chain's head) with manifest.json.sig, "
                + "its Ed25519 signature by evidence.signingKeyFrom.",
                "The same period and table give byte-identical reports. Exit 0, or 1 when the chain does not verify (the bundle "
                        + "is written all the same, audit-verify.json says what is wrong). Check a bundle with: evidence verify DIR "
                        + "--public-key PEM."})
public class EvidenceCommand implements Callable<Integer> {

    /** The files a bundle holds beside the manifest (checkpoints.jsonl only when checkpoints are configured). */
    static final List<String> FILES = List.of("audit-verify.json", "checkpoints.jsonl", "config.json", "report.csv", "report.html",
            "report.json");

    @Spec
    CommandSpec spec;

    /** Where "now" comes from for relative times (--since 7d). */
    Clock clock = Clock.systemUTC();

    @Mixin
    ConfigOption config;

    @Option(names = "--since", paramLabel = "TIME",
            description = "The period's start (included; required): 2026-11-01, 2026-11-01T00:00:00Z, or a duration ago (30d).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "The period's end (excluded), same forms (required).")
    String until;

    @Option(names = "--output", paramLabel = "DIR", description = "A folder that does not exist yet, or is empty (required).")
    Path output;

    @Option(names = "--recurrence", paramLabel = "N", defaultValue = "3",
            description = "An object path recurs when it drifted N or more times in the period (default: ${DEFAULT-VALUE}).")
    int recurrence;

    @Override
    public Integer call() throws Exception {
        // not required = true: picocli would then ask them of "evidence verify" too
        if (since == null || until == null || output == null) {
            throw new ParameterException(spec.commandLine(), "evidence needs --since, --until and --output (or: evidence verify DIR "
                    + "--public-key PEM)");
        }
        Instant now = clock.instant();
        Instant from = ReportCommand.time(spec, since, "--since", now);
        Instant to = ReportCommand.time(spec, until, "--until", now);
        if (!from.isBefore(to)) {
            throw new ParameterException(spec.commandLine(), "--since " + since + " must be before --until " + until);
        }
        if (recurrence < 1) {
            throw new ParameterException(spec.commandLine(), "--recurrence must be at least 1, not " + recurrence);
        }
        if (Files.exists(output) && (!Files.isDirectory(output) || !isEmpty(output))) {
            throw new ParameterException(spec.commandLine(), "--output " + output + " exists and is not an empty folder: evidence is "
                    + "never written over other files");
        }
        DriftwardenConfig loaded = config.load();
        PrivateKey key = signingKey(loaded);
        Files.createDirectories(output);
        try (AuditLog audit = AuditLog.open(loaded.audit(), Clock.systemUTC())) {
            String range = "Period from " + from + " until " + to;
            Reports reports = new Reports(audit, new ReportFilter(from, to, null, null), null, loaded.controls(), recurrence,
                    ExceptionStatus.of(loaded.exceptions().exceptions(), to)); // as of the period's end: the same bundle twice
            for (String format : List.of("csv", "json", "html")) {
                try (Writer out = Files.newBufferedWriter(output.resolve("report." + format), StandardCharsets.UTF_8)) {
                    reports.write(format, range, out);
                }
            }
            ObjectNode verified = JSON.createObjectNode().put("ok", true);
            boolean intact = AuditCommand.Verify.chain(audit, new PrintWriter(Writer.nullWriter()), verified);
            Files.writeString(output.resolve("audit-verify.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(verified.put("ok", intact)) + "\n", StandardCharsets.UTF_8);
            int checkpoints = checkpoints(loaded.audit().checkpoints(), from, to);
            Files.writeString(output.resolve("config.json"), effective(loaded), StandardCharsets.UTF_8);
            EvidenceBundle.Facts facts = new EvidenceBundle.Facts(toolVersion(), from, to, audit.head(),
                    EvidenceBundle.lastRowBefore(audit.dataSource(), to));
            EvidenceBundle.seal(output, facts, key);
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote the evidence of " + from + " until " + to + " to " + output + ": reports, audit-verify.json (chain "
                    + (intact ? "intact" : "BROKEN") + "), " + (loaded.audit().checkpoints() == null ? "no checkpoints (audit.checkpoints "
                    + "is not set)" : checkpoints + " checkpoints") + ", config.json; manifest.json signed (chain head at seq "
                    + facts.head().seq() + ")");
            out.flush();
            // the bundle is written either way (a broken chain is evidence too), but a script must not take it for a clean one
            return intact ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The effective configuration as JSON: what was loaded, defaults applied; a secret is its reference (env:/file:). */
    static String effective(DriftwardenConfig config) {
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n";
    }

    /** The key that signs the manifest; a missing or unreadable one is a config problem naming evidence.signingKeyFrom. */
    private static PrivateKey signingKey(DriftwardenConfig config) {
        EvidenceSettings evidence = config.evidence();
        if (evidence.signingKey() == null) {
            throw new ConfigException(List.of(config.file() + ": evidence.signingKeyFrom is not set: an evidence bundle is signed "
                    + "with an Ed25519 private key (PEM, PKCS#8), e.g. evidence: {signingKeyFrom: file:/keys/evidence-ed25519.pem}"));
        }
        try {
            return Ed25519.privateKey(evidence.signingKey().resolve(), evidence.signingKey().toString());
        } catch (AuditException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new ConfigException(List.of(evidence.origin() + ": evidence.signingKeyFrom: " + e.getMessage()));
        }
    }

    /** Copies the checkpoint lines that cover the period to checkpoints.jsonl; how many. */
    private int checkpoints(CheckpointSettings settings, Instant from, Instant to) throws IOException {
        if (settings == null) {
            return 0;
        }
        List<String> lines = Files.exists(settings.file()) ? Files.readAllLines(settings.file(), StandardCharsets.UTF_8) : List.of();
        List<String> covering = EvidenceBundle.checkpointsCovering(lines, from, to);
        Files.writeString(output.resolve("checkpoints.jsonl"), covering.stream().map(line -> line + "\n").reduce("", String::concat),
                StandardCharsets.UTF_8);
        return covering.size();
    }

    private static String toolVersion() {
        Map<String, String> facts = VersionCommand.facts(null);
        return "driftwarden " + facts.get("version") + " (" + facts.get("commit") + ")";
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** {@code driftwarden evidence verify DIR --public-key PEM}: exit 0 when the bundle is whole, 1 naming the first bad file. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check an evidence bundle offline: exit 0 when manifest.json's signature holds for the public key and "
                    + "every file matches its SHA-256; 1 naming the first file (in path order) edited, added or removed, or "
                    + "manifest.json when the signature does not hold.")
    public static class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "The bundle's folder.")
        Path dir;

        @Option(names = "--public-key", required = true, paramLabel = "PEM", description = "The Ed25519 public key (PEM) of evidence.signingKeyFrom.")
        Path publicKey;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir)) {
                throw new ParameterException(spec.commandLine(), dir + " is not a folder");
            }
            PublicKey key;
            try {
                key = Ed25519.publicKey(Files.readString(publicKey), publicKey.toString());
            } catch (IOException | AuditException e) {
                throw new ParameterException(spec.commandLine(), "--public-key: " + e.getMessage());
            }
            EvidenceBundle.Result result = EvidenceBundle.verify(dir, key);
            PrintWriter out = spec.commandLine().getOut();
            out.println(result.ok() ? "evidence intact: " + result.files() + " files match the signed manifest"
                    : "evidence BROKEN: " + result.file() + ": " + result.problem());
            out.flush();
            return result.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
