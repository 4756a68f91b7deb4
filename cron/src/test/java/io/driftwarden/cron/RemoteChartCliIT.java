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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A binding with a remote chart through the CLI in process: {@code validate} warns that no digest pins it, {@code run}
 * names chart, version and digest per binding, and the CSV report carries them on the binding's rows. The chart is made
 * by Helm's own {@code create} and {@code package} and served by a loopback chart repository.
 */
class RemoteChartCliIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("shop");

    @Test
    void validateWarnsOfAMissingDigestAndRunAndTheReportNameTheChart() throws Exception {
        // given a chart repository serving web 1.0.0, made by Helm
        Helm.create().withName("web").withDir(tmp).call();
        new Helm(tmp.resolve("web")).packageIt().withDestination(tmp.resolve("dist")).call();
        byte[] archive = Files.readAllBytes(tmp.resolve("dist/web-0.1.0.tgz"));
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] index = ("apiVersion: v1\nentries:\n  web:\n    - name: web\n      version: 0.1.0\n      digest: " + digest
                + "\n      urls: [web-0.1.0.tgz]\n").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().endsWith("index.yaml") ? index
                    : exchange.getRequestURI().getPath().endsWith("web-0.1.0.tgz") ? archive : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try {
            String repository = "http://127.0.0.1:" + server.getAddress().getPort() + "/stable";
            CliE2E.repo(tmp.resolve("repo"), "shop/README", "values for the shop live here\n");
            Path config = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                    audit: {url: "jdbc:h2:file:%s"}
                    sources: [{name: repo, url: "%s"}]
                    clusters: [{name: sandbox, kubeconfig: "%s"}]
                    bindings:
                      - name: shop
                        source: repo
                        path: shop
                        cluster: sandbox
                        namespace: shop
                        mode: enforce
                        helm: {repository: "%s", chart: web, version: 0.1.0}
                    """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig")),
                    repository));

            // when
            InProcess.Outcome validate = InProcess.cli("validate", "--config", config.toString());
            InProcess.Outcome run = InProcess.cli("run", "--config", config.toString());
            InProcess.Outcome report = InProcess.cli("report", "--config", config.toString(), "--format", "csv");

            // then
            assertThat(validate.exit()).as(validate.all()).isZero();
            assertThat(validate.err()).contains("warning: " + config + ":11: binding 'shop': helm.digest is not set for " + repository
                    + " web@0.1.0", "pin it with helm.digest: sha256:… (the .tgz's SHA-256)");
            assertThat(validate.out()).contains("(helm (remote))");
            assertThat(run.exit()).as(run.all()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("binding shop -> sandbox/shop at ", "\n  chart " + repository + " web@0.1.0 version 0.1.0 digest sha256:"
                    + digest + "\n");
            assertThat(report.out()).contains("," + repository + " web@0.1.0,sha256:" + digest + ",sandbox,shop,apps,v1,Deployment,shop-web,");
        } finally {
            server.stop(0);
        }
    }
}
