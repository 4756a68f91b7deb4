package io.driftwarden.cron.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code driftwarden version}: what this build is (version, commit and build time, from the {@code git.properties} that
 * git-commit-id-maven-plugin writes into the jar), the Java running it, and the kubectl and kustomize found on PATH.
 */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print the version, the commit and build time of this build, the Java running it, and the kubectl and "
                + "kustomize found on PATH.")
public class VersionCommand implements Callable<Integer> {

    /** What the build did not record (a build outside a Git checkout) or the machine does not have. */
    static final String UNKNOWN = "unknown";

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", description = "text (default) or json.")
    Format format = Format.text;

    @Override
    public Integer call() {
        Map<String, String> facts = facts(System.getenv("PATH"));
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(JsonMapper.builder().build().writeValueAsString(facts));
        } else {
            out.println("driftwarden " + facts.get("version"));
            facts.entrySet().stream().skip(1).forEach(fact -> out.printf("%-10s %s%n", fact.getKey() + ":", fact.getValue()));
        }
        out.flush();
        return 0;
    }

    /** version, commit, built, java, kubectl, kustomize — in that order; tools not on {@code path} are "not found on PATH". */
    static Map<String, String> facts(String path) {
        Properties build = build();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("version", build.getProperty("git.build.version",
                Optional.ofNullable(VersionCommand.class.getPackage().getImplementationVersion()).orElse(UNKNOWN)));
        String commit = build.getProperty("git.commit.id", UNKNOWN);
        facts.put("commit", commit + ("true".equals(build.getProperty("git.dirty")) && !commit.equals(UNKNOWN) ? " (uncommitted changes)" : ""));
        facts.put("built", build.getProperty("git.build.time", UNKNOWN));
        facts.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")");
        facts.put("kubectl", onPath("kubectl", path).map(Path::toString).orElse("not found on PATH"));
        facts.put("kustomize", onPath("kustomize", path).map(Path::toString).orElse("not found on PATH"));
        return facts;
    }

    /** The first executable {@code name} in the directories of {@code path}. */
    static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(Pattern.quote(java.io.File.pathSeparator))) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Properties build() {
        Properties properties = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/git.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** {@code driftwarden --version}: the version and commit, as {@code version} prints them. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Map<String, String> facts = facts(null);
            return new String[] {"driftwarden " + facts.get("version"), "commit: " + facts.get("commit"), "built:  " + facts.get("built")};
        }
    }
}
