package io.driftwarden.cron;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built driftwarden jar as a separate process, as a user or a CronJob would. */
final class Cli {

    static final Path JAR = Path.of("target", "driftwarden.jar").toAbsolutePath();

    private Cli() {
    }

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs {@code driftwarden ARGS} in {@code cwd} with its own home directory (for the Git cache). */
    static Result run(Path cwd, String... args) throws IOException, InterruptedException {
        return runWithJvmOptions(cwd, List.of(), args);
    }

    /** The same, with options for the JVM ({@code -Xmx64m}). */
    static Result runWithJvmOptions(Path cwd, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Process process = start(cwd, jvmOptions, args);
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("driftwarden " + String.join(" ", args) + " did not finish in 180 s");
        }
        return new Result(process.exitValue(), Files.readString(cwd.resolve(".out"), StandardCharsets.UTF_8),
                Files.readString(cwd.resolve(".err"), StandardCharsets.UTF_8));
    }

    /** Starts {@code driftwarden ARGS}; stdout and stderr go to {@code cwd/.out} and {@code cwd/.err}. */
    static Process start(Path cwd, String... args) throws IOException {
        return start(cwd, List.of(), args);
    }

    private static Process start(Path cwd, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + cwd.resolve("home")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(cwd.resolve(".out").toFile()).redirectError(cwd.resolve(".err").toFile()).start();
    }
}
