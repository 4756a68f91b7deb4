package io.driftwarden.jobs.render;

import io.driftwarden.config.yaml.YamlDocuments;
import io.driftwarden.config.yaml.YamlException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Renders a kustomization with the real kustomize, as Argo CD does: {@code kustomize build}, or
 * {@code kubectl kustomize} when no kustomize is on PATH, or the configured command. Before it runs, every
 * kustomization it would read passes {@link KustomizationCheck} (an allowlist of fields; every file it names is in the
 * repository at the commit; Helm and plugins refused), each refusal with {@code file:line}. It runs on an exported copy
 * of the tree, with a timeout, kustomize's strictest load restrictor, and a cleaned environment whose proxies point at a
 * closed port, through a wrapper kustomization that asks for origin annotations.
 */
final class KustomizeBuild {

    static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    /** The annotation kustomize writes with {@code buildMetadata: [originAnnotations]}; stripped before diff and apply. */
    static final String ORIGIN_ANNOTATION = "config.kubernetes.io/origin";
    /** kustomize's own guard, at its strictest: a kustomization reads files only below its own folder. */
    static final List<String> LOAD_RESTRICTOR = List.of("--load-restrictor", "LoadRestrictionsRootOnly");
    /** A loopback port nothing listens on: every proxied request kustomize or git makes is refused there. */
    static final String CLOSED_PROXY = "http://127.0.0.1:1";

    private final List<String> configuredCommand;
    private final Duration timeout;

    KustomizeBuild(List<String> configuredCommand, Duration timeout) {
        this.configuredCommand = List.copyOf(configuredCommand);
        this.timeout = timeout;
    }

    /** The rendered YAML of the kustomization at {@code path} of the exported {@code tree}; {@code work} holds scratch files. */
    String build(Path tree, String path, Path work) {
        List<String> problems = new ArrayList<>();
        try {
            Path root = tree.toRealPath();
            checkLocal(root, root.resolve(path).normalize(), problems, new HashSet<>());
        } catch (IOException e) {
            problems.add(kustomizationFile(tree, path) + ":1: cannot read: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new RenderException(problems);
        }
        return buildUnchecked(tree, path, work);
    }

    /** Runs kustomize without the policy check: only {@link #build} and the test of the process's own guards call it. */
    String buildUnchecked(Path tree, String path, Path work) {
        try {
            Path wrapper = Files.createDirectories(work.resolve("wrapper"));
            String target = wrapper.relativize(tree.resolve(path)).toString().replace(File.separatorChar, '/');
            Files.writeString(wrapper.resolve("kustomization.yaml"),
                    "resources:\n- " + target + "\nbuildMetadata: [originAnnotations]\n");
            List<String> tool = command();
            List<String> command = new ArrayList<>(tool);
            command.addAll(LOAD_RESTRICTOR); // after the configured arguments: the last value of a flag wins
            command.add(wrapper.toString());
            return run(command, String.join(" ", tool), work, kustomizationFile(tree, path));
        } catch (IOException e) {
            throw new RenderException(List.of(kustomizationFile(tree, path) + ": cannot run kustomize: " + e.getMessage()));
        }
    }

    /** The repository path a kustomize origin names ({@code ../tree/base/web.yaml} → {@code base/web.yaml}). */
    static String repositoryPath(String origin) {
        return origin.replaceFirst("^(\\.\\./)+tree/", "");
    }

    private List<String> command() {
        if (!configuredCommand.isEmpty()) {
            return configuredCommand;
        }
        if (onPath("kustomize")) {
            return List.of("kustomize", "build");
        }
        if (onPath("kubectl")) {
            return List.of("kubectl", "kustomize");
        }
        throw new RenderException(List.of("kustomize build needs kustomize or kubectl on PATH (or set kustomize.command "
                + "in driftwarden.yaml)"));
    }

    private String run(List<String> command, String tool, Path work, String kustomization) throws IOException {
        Path home = Files.createDirectories(work.resolve("home"));
        Path out = work.resolve("kustomize.out");
        Path err = work.resolve("kustomize.err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> environment = builder.environment();
        String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        environment.clear();
        environment.put("PATH", path);
        environment.put("HOME", home.toString());
        environment.put("LANG", "C.UTF-8");
        // Nothing is fetched: HTTP(S) goes to a closed port (Go bypasses a proxy only for loopback hosts), git reads no
        // system config, asks for nothing and speaks no transport (ssh ignores proxies), whatever the pre-check missed.
        for (String proxy : List.of("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")) {
            environment.put(proxy, CLOSED_PROXY);
            environment.put(proxy.toLowerCase(Locale.ROOT), CLOSED_PROXY);
        }
        environment.put("NO_PROXY", "");
        environment.put("no_proxy", "");
        environment.put("GIT_CONFIG_NOSYSTEM", "1");
        environment.put("GIT_TERMINAL_PROMPT", "0");
        environment.put("GIT_ALLOW_PROTOCOL", "none");
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new RenderException(List.of(kustomization + ": " + tool + " did not finish in " + timeout.toSeconds() + " s"));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RenderException(List.of(kustomization + ": interrupted while kustomize ran"));
        }
        if (process.exitValue() != 0) {
            String stderr = Files.readString(err, StandardCharsets.UTF_8).strip()
                    .replace(work.resolve("tree").toString() + File.separator, "");
            throw new RenderException(List.of(kustomization + ": " + tool + " failed (exit " + process.exitValue() + "): " + stderr));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Checks the kustomization in {@code dir} and, through its local references, every one it reads ({@code tree} is real). */
    private static void checkLocal(Path tree, Path dir, List<String> problems, Set<Path> visited) {
        if (!visited.add(dir)) {
            return;
        }
        Path file = FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst().orElse(null);
        if (file == null) {
            return;
        }
        String name = tree.relativize(file).toString().replace(File.separatorChar, '/');
        Node root;
        try {
            root = YamlDocuments.composeOne(Files.readString(file, StandardCharsets.UTF_8), name);
        } catch (YamlException e) {
            problems.add(e.getMessage());
            return;
        } catch (IOException e) {
            problems.add(name + ":1: cannot read: " + e.getMessage());
            return;
        }
        KustomizationCheck.Verdict verdict = KustomizationCheck.check(root, name, path -> kind(tree, path));
        problems.addAll(verdict.problems());
        for (String folder : verdict.kustomizations()) {
            Path real = real(tree, folder);
            if (real != null) {
                checkLocal(tree, real, problems, visited);
            }
        }
    }

    /** What {@code path} is in the exported tree, followed as the operating system (and kustomize) follows it. */
    static KustomizationCheck.Kind kind(Path tree, String path) {
        Path real = real(tree, path);
        if (real == null) {
            return KustomizationCheck.Kind.NONE;
        }
        return Files.isDirectory(real) ? KustomizationCheck.Kind.FOLDER
                : Files.isRegularFile(real) ? KustomizationCheck.Kind.FILE : KustomizationCheck.Kind.NONE;
    }

    /** The real path {@code path} leads to, or null when it does not exist or ends outside {@code tree}. */
    private static Path real(Path tree, String path) {
        try {
            Path real = tree.resolve(path).toRealPath();
            return real.startsWith(tree) ? real : null;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static String kustomizationFile(Path tree, String path) {
        Path dir = tree.resolve(path);
        return FILE_NAMES.stream().filter(n -> Files.isRegularFile(dir.resolve(n))).findFirst()
                .map(n -> (path.isEmpty() ? "" : path + "/") + n).orElse(path + "/kustomization.yaml");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
