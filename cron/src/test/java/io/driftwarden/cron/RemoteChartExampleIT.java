package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpServer;
import io.driftwarden.jobs.lifecycle.ExitCodes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/remote-chart} as its README walks it, with Helm's own {@code package} for the {@code helm} CLI and a
 * loopback server for {@code python3 -m http.server} (on a free port instead of 8879): validate warns, run renders the
 * chart with the values from Git and prints it, and once the digest is pinned a run asks the repository nothing.
 */
class RemoteChartExampleIT {

    private static final Path EXAMPLE = Path.of("..", "examples", "remote-chart");

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage();

    @Test
    void theExampleRendersTheServedChartWithTheValuesFromGitAndPinnedAsksNothing() throws Exception {
        new Helm(EXAMPLE.resolve("chart/hello")).packageIt().withDestination(tmp.resolve("repo")).call();
        byte[] archive = Files.readAllBytes(tmp.resolve("repo/hello-1.0.0.tgz"));
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        byte[] index = ("apiVersion: v1\nentries:\n  hello:\n  - name: hello\n    version: 1.0.0\n    digest: " + digest
                + "\n    urls:\n    - " + url + "/hello-1.0.0.tgz\n").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            byte[] body = switch (exchange.getRequestURI().getPath()) {
                case "/index.yaml" -> index;
                case "/hello-1.0.0.tgz" -> archive;
                default -> null;
            };
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        CliE2E.repo(tmp.resolve("platform"), "hello/values-prod.yaml", Files.readString(EXAMPLE.resolve("values/values-prod.yaml")));
        String example = Files.readString(EXAMPLE.resolve("driftwarden.yaml"))
                .replace("file:///tmp/platform", tmp.resolve("platform").toUri().toString())
                .replace("http://127.0.0.1:8879", url)
                .replace("sandbox.kubeconfig", stage.sandbox().writeKubeconfig(tmp.resolve("sandbox.kubeconfig")).toString());
        Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), "audit: {url: \"jdbc:h2:file:" + tmp.resolve("audit") + "\"}\n" + example);
        try {
            InProcess.Outcome validate = InProcess.cli("validate", "--config", config.toString());
            InProcess.Outcome run = InProcess.cli("run", "--config", config.toString());

            assertThat(validate.err()).contains("helm.digest is not set");
            assertThat(validate.out()).contains("(helm (remote))");
            assertThat(run.exit()).as(run.all()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("chart " + url + " hello@1.0.0 version 1.0.0 digest sha256:" + digest);
            try (var client = stage.sandbox().client()) {
                assertThat(client.configMaps().inNamespace("hello").withName("hello-greeting").get().getData())
                        .containsEntry("greeting", "hello from Git");
                assertThat(client.apps().deployments().inNamespace("hello").withName("hello").get().getSpec().getReplicas()).isEqualTo(2);
            }

            Files.writeString(config, Files.readString(config).replace("# digest: sha256:…", "digest: sha256:" + digest));
            requests.clear();
            InProcess.Outcome pinned = InProcess.cli("run", "--config", config.toString());

            assertThat(pinned.exit()).as(pinned.all()).isEqualTo(ExitCodes.OK);
            assertThat(requests).isEmpty(); // the server still runs and counts: the pinned, cached chart needs no request
        } finally {
            server.stop(0);
        }
    }
}
