package io.driftwarden.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code kubectl} binary, run as a user would run it against a kubeconfig (its discovery cache kept in a
 * folder of the test's). Tests that need it fail, never skip, when it is not on PATH.
 */
public final class Kubectl {

    private final Path kubeconfig;
    private final Path cache;

    public Kubectl(Path kubeconfig, Path cache) {
        this.kubeconfig = kubeconfig;
        this.cache = cache;
    }

    /** What one kubectl command printed and how it exited. */
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    /** The kubectl on PATH; fails the test with what to do when there is none. */
    public static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("kubectl is not on PATH: these tests drive the sandbox with the real kubectl "
                + "(1.32 on our machines). Install it (Debian: the kubernetes apt repository's kubectl package, or the binary "
                + "from https://dl.k8s.io) and run the tests again.");
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs {@code kubectl ARGS} with extra environment variables (say {@code EDITOR}). */
    public Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary(), "--cache-dir", cache.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(cache.getParent(), "kubectl", ".out");
        Path err = Files.createTempFile(cache.getParent(), "kubectl", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
