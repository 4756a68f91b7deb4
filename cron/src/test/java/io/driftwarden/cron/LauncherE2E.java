package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./driftwarden} launcher as a user runs it: what it writes where a terminal is not (on a terminal made by
 * util-linux {@code script}, which it needs: it fails, never skips, without it), where it keeps the Git cache, and that
 * it gives the JVM only a class-data archive the same JDK made.
 */
class LauncherE2E {

    static final Path LAUNCHER = Path.of("..", "driftwarden").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void stderrRedirectedToAFileGetsNoColourCodesWhileStdoutIsATerminal() throws Exception {
        assertThat(Files.isExecutable(Path.of("/usr/bin/script"))).as("util-linux script (Debian's bsdutils) makes the terminal: install it").isTrue();
        // given stdout on a terminal and stderr into a file; when a usage error prints the usage on stderr
        Path err = tmp.resolve("err");
        ProcessBuilder launch = new ProcessBuilder("/usr/bin/script", "-qec", "'" + LAUNCHER + "' --no-such-option 2>'" + err + "'", "/dev/null")
                .directory(tmp.toFile()).redirectOutput(tmp.resolve("out").toFile()).redirectErrorStream(true);
        launch.environment().put("DRIFTWARDEN_NO_CDS", "1"); // the class-data archive is not what this story is about
        Process process = launch.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        // then the file holds the usage, in plain text
        String written = Files.readString(err);
        assertThat(written).contains("Usage: driftwarden").doesNotContain("\u001b[");
    }

    @Test
    void theGitCacheIsUnderHomeAsTheShellSaysIt() throws Exception {
        // given a HOME that is not the account's home directory (a CI runner's, sudo's, a container's)
        Path home = Files.createDirectories(tmp.resolve("home"));
        CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {k: v}\n");
        Files.writeString(tmp.resolve("driftwarden.yaml"), """
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: somewhere, kubeconfig: kubeconfig}]
                bindings: [{name: shop, source: repo, path: app, cluster: somewhere, namespace: shop}]
                """.formatted(tmp.resolve("repo").toUri()));

        // when validate fetches the source through the launcher
        ProcessBuilder launch = new ProcessBuilder(LAUNCHER.toString(), "validate").directory(tmp.toFile())
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        launch.environment().put("HOME", home.toString());
        launch.environment().put("DRIFTWARDEN_NO_CDS", "1");
        Process process = launch.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        // then the mirror is under $HOME/.driftwarden/git
        assertThat(process.exitValue()).as(Files.readString(tmp.resolve("err"))).isZero();
        assertThat(home.resolve(".driftwarden/git")).isDirectory();
    }

    @Test
    void anArchiveMadeByAnotherJdkIsNotGivenToTheJvm() throws Exception {
        // given a copy of the launcher beside the built jar, whose extracted layout holds an archive that another JDK made
        // (a java on PATH that changed from 17 to 25 rejected the old archive with an error line on every command)
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("cron/target"));
        Files.copy(LAUNCHER, tree.resolve("driftwarden"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(tree.resolve("cron/target/driftwarden.jar"), LAUNCHER.resolveSibling("cron/target/driftwarden.jar"));
        assertThat(version(tree, "").exitValue()).as("the first command extracts the jar").isZero();
        Path app = tree.resolve("cron/target/app");
        Files.writeString(app.resolve("driftwarden.jsa"), "not an archive of this JDK");
        Files.writeString(app.resolve("driftwarden.jsa.jdk"), "/opt/another-jdk/bin/java \"11.0.0+1\"");

        // when a command runs with -Xshare:on, under which a JVM given an archive it cannot use refuses to start
        Process process = version(tree, "-Xshare:on");

        // then it starts (on the JDK's own archive) and prints the version: the other JDK's archive was left out
        assertThat(process.exitValue()).as(Files.readString(tmp.resolve("err"))).isZero();
        assertThat(Files.readString(tmp.resolve("out"))).startsWith("driftwarden ");
    }

    /** {@code driftwarden --version} through the launcher in {@code tree}, making no archive, with these JVM options. */
    private Process version(Path tree, String jvmOptions) throws Exception {
        ProcessBuilder launch = new ProcessBuilder(tree.resolve("driftwarden").toString(), "--version").directory(tmp.toFile())
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        launch.environment().put("DRIFTWARDEN_NO_CDS", "1");
        launch.environment().put("DRIFTWARDEN_JAVA_OPTS", jvmOptions);
        Process process = launch.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process;
    }
}
