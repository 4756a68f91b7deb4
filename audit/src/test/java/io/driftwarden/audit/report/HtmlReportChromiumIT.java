package io.driftwarden.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.AuditSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report with the measures, rendered by a real browser: headless Chromium (Debian's {@code chromium}, which
 * {@code .ci/run} installs) loads the page with the network shut off, and the DOM it builds holds both charts as SVG
 * with their bars, and every measures table; a screenshot is taken too (kept in target/ for a person to look at).
 * It fails, never skips, when Chromium is missing. What it does not prove: how the page looks; a person checks that.
 */
class HtmlReportChromiumIT {

    @TempDir
    Path tmp;

    @Test
    void chromiumRendersThePageWithItsCharts() throws Exception {
        // given the page of the fixed trail
        AuditTrailFixture.HandClock clock = new AuditTrailFixture.HandClock();
        Path page = tmp.resolve("report.html");
        try (AuditLog log = AuditLog.open(new AuditSettings("jdbc:h2:file:" + tmp.resolve("audit"), "sa", null), clock)) {
            AuditTrailFixture.fill(log, clock);
            Files.writeString(page, AuditTrailFixture.html(log, AuditTrailFixture.compliance(log)), StandardCharsets.UTF_8);
        }

        // when Chromium loads it
        String dom = chromium(page, "--dump-dom");
        Path screenshot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        chromium(page, "--screenshot=" + screenshot, "--window-size=1400,2400");

        // then the DOM it built holds the charts and tables
        assertThat(dom).contains("<svg", "id=\"chart-found-corrected\"", "id=\"chart-recurrence\"", "class=\"found\"", "class=\"fixed\"",
                "class=\"recur\"", "id=\"measures\"", "id=\"recurrence\"", "id=\"coverage\"", "id=\"controls\"", "SOC2-CC8.1");
        assertThat(Files.size(screenshot)).as("the screenshot Chromium wrote").isGreaterThan(10_000);
        byte[] png = Files.readAllBytes(screenshot);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    /** Runs headless Chromium on {@code page} with no network, returning what it printed on stdout. */
    static String chromium(Path page, String... args) throws IOException, InterruptedException {
        Path binary = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser")).stream().filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new AssertionError("chromium is not installed: apt-get install chromium (.ci/run does)"));
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--proxy-server=127.0.0.1:9", "--user-data-dir=" + page.getParent().resolve("profile")));
        command.addAll(List.of(args));
        command.add(page.toUri().toString());
        Path stdout = page.getParent().resolve("chromium.out");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(page.getParent().resolve("chromium.err").toFile()).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("chromium finished within 90 s").isTrue();
        assertThat(process.exitValue()).as(Files.readString(page.getParent().resolve("chromium.err"))).isZero();
        return Files.readString(stdout);
    }
}
