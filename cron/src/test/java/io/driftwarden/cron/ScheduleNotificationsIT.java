package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.cron.metrics.RunMetrics;
import io.driftwarden.cron.schedule.Daemon;
import io.driftwarden.cron.schedule.QuartzCron;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon's runs notify as one-shot runs do: a firing (here a push's {@code runSoon}) that corrects drift sends its
 * digest to a webhook receiver on loopback, with the firing's trigger. The sandbox stands in for the cluster.
 */
class ScheduleNotificationsIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final InProcess.Stage stage = new InProcess.Stage("shop");

    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private AuditLog audit;
    private Daemon daemon;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (audit != null) {
            audit.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aDaemonFiringSendsItsDigest() throws Exception {
        // given a receiver, and a daemon whose binding's cron never fires on its own
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        CliE2E.repo(tmp.resolve("repo"), "app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {colour: blue}\n");
        Path file = Files.writeString(tmp.resolve("driftwarden.yaml"), """
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [{name: sandbox, kubeconfig: "%s"}]
                bindings:
                  - {name: shop, source: repo, path: app, cluster: sandbox, namespace: shop, mode: enforce, schedule: "0 0 0 1 1 ? 2099"}
                notifications:
                  - {name: hook, type: webhook, url: "http://127.0.0.1:%d/hook"}
                """.formatted(tmp.resolve("audit"), tmp.resolve("repo").toUri(), stage.sandbox().writeKubeconfig(tmp.resolve("kubeconfig")),
                receiver.getAddress().getPort()));
        DriftwardenConfig config = ConfigLoader.load(file, QuartzCron.CHECK);
        audit = AuditLog.open(config.audit(), Clock.systemUTC());
        RunMetrics metrics = new RunMetrics();
        daemon = Daemon.start(config, audit, DriftwardenApplication.runs(Clock.systemUTC(), tmp.resolve("git"), metrics), metrics);

        // when a push makes the binding run
        daemon.runSoon("shop", "webhook");

        // then its digest arrives: one message, the firing's trigger, the object it created
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 1);
        JsonNode digest = JsonMapper.builder().build().readTree(received.get(0));
        assertThat(digest.path("run").path("trigger").asString()).isEqualTo("webhook");
        assertThat(digest.path("items")).singleElement().satisfies(item -> {
            assertThat(item.path("subject").asString()).isEqualTo("ConfigMap/shop/settings");
            assertThat(item.path("outcome").asString()).isEqualTo("CORRECTED");
            assertThat(item.path("driftType").asString()).isEqualTo("MISSING");
        });
        // and /metrics counts it delivered (as ScheduleCommand wires the daemon)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics.scrape())
                .contains("driftwarden_notifications_total{outcome=\"delivered\",target=\"hook\"} 1.0")
                .contains("driftwarden_notifications_total{outcome=\"failed\",target=\"hook\"} 0.0"));
    }
}
