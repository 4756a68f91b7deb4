package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./driftwarden} launcher as a user runs it, on a terminal made by util-linux {@code script} (skipped
 * where there is none): what it writes where a terminal is not.
 */
class LauncherE2E {

    static final Path LAUNCHER = Path.of("..", "driftwarden").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void stderrRedirectedToAFileGetsNoColourCodesWhileStdoutIsATerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script makes the terminal");
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
}
