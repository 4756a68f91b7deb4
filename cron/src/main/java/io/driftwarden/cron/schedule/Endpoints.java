package io.driftwarden.cron.schedule;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.SecretRef;
import io.driftwarden.config.SourceSpec;
import io.driftwarden.config.WebhookSettings;
import io.driftwarden.cron.metrics.RunMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon's HTTP side (the JDK's HTTP server): {@code POST /hooks/github}, {@code /hooks/gitlab} and
 * {@code /hooks/generic} start a run of every binding whose source URL and branch a verified push names;
 * {@code GET /metrics} (Prometheus text), {@code /healthz} (liveness) and {@code /readyz} (the scheduler runs).
 * A missing or wrong signature is a 401 and starts nothing; a body over the limit is a 413.
 */
public final class Endpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Daemon daemon;
    private final RunMetrics metrics;

    private Endpoints(HttpServer server, Daemon daemon, RunMetrics metrics) {
        this.server = server;
        this.daemon = daemon;
        this.metrics = metrics;
    }

    /** Serves on {@code address} (port 0: any free port). */
    public static Endpoints start(InetSocketAddress address, Daemon daemon, RunMetrics metrics) throws IOException {
        Endpoints endpoints = new Endpoints(HttpServer.create(address, 0), daemon, metrics);
        endpoints.server.createContext("/hooks/", endpoints::hook);
        endpoints.server.createContext("/metrics", exchange -> endpoints.answer(exchange, 200, "text/plain; version=0.0.4", metrics.scrape()));
        endpoints.server.createContext("/healthz", exchange -> endpoints.answer(exchange, 200, "text/plain", "ok\n"));
        endpoints.server.createContext("/readyz", exchange -> endpoints.answer(exchange, daemon.ready() ? 200 : 503, "text/plain",
                daemon.ready() ? "ready\n" : "the scheduler is not running\n"));
        endpoints.server.setExecutor(endpoints.threads);
        endpoints.server.start();
        return endpoints;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void hook(HttpExchange exchange) throws IOException {
        String provider = exchange.getRequestURI().getPath().substring("/hooks/".length());
        if (!List.of("github", "gitlab", "generic").contains(provider)) {
            answer(exchange, 404, "text/plain", "no such hook: use /hooks/github, /hooks/gitlab or /hooks/generic\n");
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            answer(exchange, 405, "text/plain", "POST a push event\n");
            return;
        }
        WebhookSettings settings = daemon.config().webhook();
        byte[] body = exchange.getRequestBody().readNBytes((int) Math.min(Integer.MAX_VALUE - 1, settings.maxBodyBytes() + 1));
        if (body.length > settings.maxBodyBytes()) {
            refuse(exchange, provider, 413, "body larger than " + settings.maxBodyBytes() + " bytes");
            return;
        }
        String problem = switch (provider) {
            case "github" -> checkHmac(settings.githubSecret(), exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"), body);
            case "gitlab" -> checkToken(settings.gitlabToken(), exchange.getRequestHeaders().getFirst("X-Gitlab-Token"));
            default -> checkHmac(settings.hmacSecret(), exchange.getRequestHeaders().getFirst("X-Driftwarden-Signature-256"), body);
        };
        if (problem != null) {
            refuse(exchange, provider, 401, problem);
            return;
        }
        if (provider.equals("github") && "ping".equals(exchange.getRequestHeaders().getFirst("X-GitHub-Event"))) {
            answer(exchange, 200, "text/plain", "pong\n");
            return;
        }
        Push push;
        try {
            push = Push.of(provider, JSON.readTree(body));
        } catch (RuntimeException e) {
            answer(exchange, 400, "text/plain", "not a push event: " + e.getMessage() + "\n");
            return;
        }
        List<String> started = new ArrayList<>();
        List<String> merged = new ArrayList<>();
        DriftwardenConfig config = daemon.config();
        for (BindingSpec binding : config.bindings()) {
            SourceSpec source = config.source(binding.source());
            if (push.branch().equals(source.ref()) && push.urls().stream().anyMatch(url -> sameRepository(url, source.url()))) {
                try {
                    (daemon.runSoon(binding.name(), "webhook") ? started : merged).add(binding.name());
                } catch (org.quartz.SchedulerException e) {
                    answer(exchange, 503, "text/plain", "cannot schedule binding " + binding.name() + ": " + e.getMessage() + "\n");
                    return;
                }
            }
        }
        metrics.webhook(provider, "accepted");
        LOG.info("webhook {}: push to {} of {}: runs {} (merged into a pending one: {})", provider, push.branch(), push.urls().get(0),
                started, merged);
        answer(exchange, 202, "application/json", JSON.writeValueAsString(new Runs(started, merged)) + "\n");
    }

    private void refuse(HttpExchange exchange, String provider, int status, String why) throws IOException {
        metrics.webhook(provider, status == 401 ? "unauthorized" : "too_large");
        LOG.warn("webhook {} from {} refused ({}): {}", provider, exchange.getRemoteAddress().getAddress().getHostAddress(), status, why);
        answer(exchange, status, "text/plain", why + "\n");
    }

    /** GitHub's and the generic scheme: {@code sha256=HEX} of HMAC-SHA256(secret, body), compared in constant time. */
    static String checkHmac(SecretRef secret, String header, byte[] body) {
        if (secret == null) {
            return "this hook has no secret configured; it accepts nothing";
        }
        if (header == null || !header.startsWith("sha256=")) {
            return "missing signature";
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.resolve().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
            byte[] given = header.substring("sha256=".length()).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, given) ? null : "wrong signature";
        } catch (GeneralSecurityException e) {
            return "cannot check the signature: " + e.getMessage();
        }
    }

    /** GitLab's scheme: the secret token itself in a header, compared in constant time. */
    static String checkToken(SecretRef secret, String header) {
        if (secret == null) {
            return "this hook has no secret configured; it accepts nothing";
        }
        if (header == null) {
            return "missing token";
        }
        return MessageDigest.isEqual(secret.resolve().getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8))
                ? null : "wrong token";
    }

    /** Two Git URLs name one repository: same host and path, whatever the scheme, user, case of host, or {@code .git}. */
    static boolean sameRepository(String a, String b) {
        return repository(a).equals(repository(b));
    }

    private static String repository(String url) {
        String text = url.trim();
        if (!text.contains("://") && text.matches("[^/@:]+@[^/:]+:.*")) {
            text = "ssh://" + text.replaceFirst(":", "/"); // git@host:path, scp-like
        }
        text = text.replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "").replaceFirst("^[^/@]*@", "");
        text = text.replaceAll("/+$", "").replaceAll("\\.git$", "");
        int slash = text.indexOf('/');
        String host = (slash < 0 ? text : text.substring(0, slash)).toLowerCase(Locale.ROOT).replaceFirst(":(22|443|80)$", "");
        return host + (slash < 0 ? "" : text.substring(slash));
    }

    /** The answer to a push: the bindings whose run it started, and those it merged into a run already waiting. */
    record Runs(List<String> started, List<String> merged) {
    }

    /** What a push event says: the repository's URLs and the branch pushed. */
    record Push(List<String> urls, String branch) {
        static Push of(String provider, JsonNode event) {
            List<String> urls = new ArrayList<>();
            JsonNode repository = switch (provider) {
                case "github" -> event.path("repository");
                case "gitlab" -> event.path("project");
                default -> event;
            };
            for (String field : List.of("clone_url", "ssh_url", "git_url", "html_url", "git_http_url", "git_ssh_url", "web_url", "url")) {
                String url = repository.path(field).asString("");
                if (!url.isBlank()) {
                    urls.add(url);
                }
            }
            String ref = event.path("ref").asString("");
            if (urls.isEmpty() || ref.isBlank()) {
                throw new IllegalArgumentException("it names no repository URL or no ref");
            }
            return new Push(urls, ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref);
        }
    }

    private void answer(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
