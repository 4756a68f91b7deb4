package io.driftwarden.cron.schedule;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.SecretRef;
import io.driftwarden.config.SourceSpec;
import io.driftwarden.config.WebhookSettings;
import io.driftwarden.cron.metrics.RunMetrics;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon's HTTP side: {@code POST /hooks/github}, {@code /hooks/gitlab} and {@code /hooks/generic} start a run of
 * every binding whose source URL and branch a verified push names; {@code GET /metrics} (Prometheus text),
 * {@code /healthz} (liveness) and {@code /readyz} (the scheduler runs). A missing or wrong signature is a 401 and starts
 * nothing; a body over the limit is a 413.
 *
 * <p>It is Vert.x's HTTP server (Netty, already shipped with the sandbox), so reading a request holds no thread: the
 * probes and the metrics are answered on the event loop whatever other clients send, slowly or not at all. Every
 * connection must deliver a whole request within {@link Limits#requestDeadline()} of opening or of its previous answer,
 * else it is answered 408 (a request under way) or closed (headers not yet complete, or nothing sent). A push's body is
 * read with the size limit before anything else; checking it and scheduling runs happen on a small pool of their own,
 * and at most {@link Limits#hooksAtOnce()} pushes are in flight: one more is a 503.
 */
public final class Endpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * How long a client may take and how many pushes may be in flight at once.
     *
     * @param requestDeadline the time a connection has to deliver one whole request (line, headers and body), counted from
     *                        its opening or from its previous answer; a connection on which nothing moves that long is closed
     * @param hooksAtOnce     pushes being read or handled at once; one more is answered 503
     */
    public record Limits(Duration requestDeadline, int hooksAtOnce) {

        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(10), 16);
        }

        public Limits withRequestDeadline(Duration deadline) {
            return new Limits(deadline, hooksAtOnce);
        }
    }

    /** An answer to send: status, content type and text. */
    private record Answer(int status, String type, String text) {
        static Answer text(int status, String text) {
            return new Answer(status, "text/plain", text);
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final ThreadPoolExecutor hookWork;
    private final Limits limits;
    private final Daemon daemon;
    private final RunMetrics metrics;
    private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicInteger hooksInFlight = new AtomicInteger();

    private Endpoints(Limits limits, Daemon daemon, RunMetrics metrics) {
        this.limits = limits;
        this.daemon = daemon;
        this.metrics = metrics;
        // as fabric8's Vert.x client sets it up: no file cache (a read-only root file system stays fine), daemon threads
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setUseDaemonThread(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        this.server = vertx.createHttpServer(new HttpServerOptions()
                .setIdleTimeout((int) Math.max(1, limits.requestDeadline().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHttp2ClearTextEnabled(false));
        this.hookWork = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(limits.hooksAtOnce()), runnable -> {
            Thread thread = new Thread(runnable, "driftwarden-hooks");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Serves on {@code address} (port 0: any free port) with the default limits. */
    public static Endpoints start(InetSocketAddress address, Daemon daemon, RunMetrics metrics) throws IOException {
        return start(address, daemon, metrics, Limits.defaults());
    }

    /** Serves on {@code address} (port 0: any free port) with these limits. */
    public static Endpoints start(InetSocketAddress address, Daemon daemon, RunMetrics metrics, Limits limits) throws IOException {
        Endpoints endpoints = new Endpoints(limits, daemon, metrics);
        endpoints.server.connectionHandler(endpoints::opened).requestHandler(endpoints::route);
        try {
            endpoints.server.listen(address.getPort(), address.getHostString()).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            endpoints.close();
            throw new IOException("cannot listen on " + address + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endpoints.close();
            throw new IOException("interrupted while starting to listen on " + address, e);
        }
        return endpoints;
    }

    public int port() {
        return server.actualPort();
    }

    private void opened(HttpConnection connection) {
        Watch watch = new Watch(connection);
        watches.put(connection, watch);
        connection.closeHandler(closed -> {
            Watch gone = watches.remove(connection);
            if (gone != null) {
                gone.stop();
            }
        });
        watch.start();
    }

    private Watch watch(HttpConnection connection) {
        return watches.computeIfAbsent(connection, Watch::new);
    }

    /**
     * One connection's clock: it runs while the server waits on the client (from the opening, or from an answer, until
     * the next request has arrived whole) and at the deadline answers a request under way 408 or closes the connection.
     * Touched on the connection's event loop only.
     */
    private final class Watch {
        private final HttpConnection connection;
        private long timer = -1;
        private HttpServerRequest underWay;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void start() {
            stop();
            timer = vertx.setTimer(limits.requestDeadline().toMillis(), fired -> expire());
        }

        /** A request has begun: the clock, already running since the opening or the last answer, now holds it too. */
        void begun(HttpServerRequest request) {
            underWay = request;
            if (timer < 0) {
                start();
            }
        }

        /** The request has arrived whole: the server's own work is not the client's to hurry. */
        void arrived(HttpServerRequest request) {
            if (underWay == request) { // not yet answered: a probe is answered before its (empty) end is read
                underWay = null;
                stop();
            }
        }

        /** An answer is sent: the clock runs again for the next request. */
        void answered() {
            underWay = null;
            start();
        }

        void stop() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        private void expire() {
            timer = -1;
            if (underWay != null && !underWay.response().ended() && !underWay.response().closed()) {
                underWay.response().setStatusCode(408).putHeader("Content-Type", "text/plain").putHeader("Connection", "close")
                        .end("the request did not arrive whole within " + limits.requestDeadline().toMillis() + " ms\n")
                        .onComplete(sent -> connection.close());
            } else {
                connection.close();
            }
        }
    }

    private void route(HttpServerRequest request) {
        Watch watch = watch(request.connection());
        watch.begun(request);
        request.response().endHandler(ended -> watch.answered());
        String path = request.path();
        if (path.startsWith("/hooks/")) {
            hook(request, watch, path.substring("/hooks/".length()));
            return;
        }
        request.endHandler(end -> watch.arrived(request));
        switch (path) {
            case "/metrics" -> send(request, new Answer(200, "text/plain; version=0.0.4", metrics.scrape()));
            case "/healthz" -> send(request, Answer.text(200, "ok\n"));
            case "/readyz" -> send(request, daemon.ready() ? Answer.text(200, "ready\n") : Answer.text(503, "the scheduler is not running\n"));
            default -> send(request, Answer.text(404, "no such endpoint\n"));
        }
    }

    /** Reads a push's body within the size limit, then checks and acts on it off the event loop. */
    private void hook(HttpServerRequest request, Watch watch, String provider) {
        if (!List.of("github", "gitlab", "generic").contains(provider)) {
            sendAndClose(request, Answer.text(404, "no such hook: use /hooks/github, /hooks/gitlab or /hooks/generic\n"));
            return;
        }
        if (request.method() != HttpMethod.POST) {
            sendAndClose(request, Answer.text(405, "POST a push event\n"));
            return;
        }
        WebhookSettings settings = daemon.config().webhook();
        String length = request.getHeader("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > settings.maxBodyBytes()) {
            refuse(request, provider, 413, "body larger than " + settings.maxBodyBytes() + " bytes");
            return;
        }
        if (hooksInFlight.incrementAndGet() > limits.hooksAtOnce()) {
            hooksInFlight.decrementAndGet();
            metrics.webhook(provider, "busy");
            sendAndClose(request, Answer.text(503, "too many webhooks at once; try again\n"));
            return;
        }
        Runnable release = once(hooksInFlight::decrementAndGet);
        request.response().endHandler(ended -> {
            release.run();
            watch.answered();
        });
        request.response().closeHandler(closed -> release.run());
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            request.response().writeContinue();
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() <= settings.maxBodyBytes()) {
                body.appendBuffer(chunk);
                if (body.length() > settings.maxBodyBytes()) {
                    refuse(request, provider, 413, "body larger than " + settings.maxBodyBytes() + " bytes");
                }
            }
        });
        request.endHandler(end -> {
            watch.arrived(request);
            if (request.response().ended()) {
                return;
            }
            Context context = vertx.getOrCreateContext();
            byte[] bytes = body.getBytes();
            MultiMap headers = request.headers();
            String from = request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress();
            try {
                hookWork.execute(() -> {
                    Answer answer;
                    try {
                        answer = push(provider, headers, from, bytes);
                    } catch (RuntimeException e) {
                        LOG.error("webhook {}: {}", provider, e.toString());
                        answer = Answer.text(500, "cannot handle this push: " + e.getMessage() + "\n");
                    }
                    Answer done = answer;
                    context.runOnContext(back -> send(request, done));
                });
            } catch (RejectedExecutionException e) {
                sendAndClose(request, Answer.text(503, "too many webhooks at once; try again\n"));
            }
        });
    }

    /** Checks a push that has been read whole and starts (or merges) the runs it names. */
    private Answer push(String provider, MultiMap headers, String from, byte[] body) {
        WebhookSettings settings = daemon.config().webhook();
        String problem = switch (provider) {
            case "github" -> checkHmac(settings.githubSecret(), headers.get("X-Hub-Signature-256"), body);
            case "gitlab" -> checkToken(settings.gitlabToken(), headers.get("X-Gitlab-Token"));
            default -> checkHmac(settings.hmacSecret(), headers.get("X-Driftwarden-Signature-256"), body);
        };
        if (problem != null) {
            metrics.webhook(provider, "unauthorized");
            LOG.warn("webhook {} from {} refused (401): {}", provider, from, problem);
            return Answer.text(401, problem + "\n");
        }
        if (provider.equals("github") && "ping".equals(headers.get("X-GitHub-Event"))) {
            return Answer.text(200, "pong\n");
        }
        Push push;
        try {
            push = Push.of(provider, JSON.readTree(body));
        } catch (RuntimeException e) {
            return Answer.text(400, "not a push event: " + e.getMessage() + "\n");
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
                    return Answer.text(503, "cannot schedule binding " + binding.name() + ": " + e.getMessage() + "\n");
                }
            }
        }
        metrics.webhook(provider, "accepted");
        LOG.info("webhook {}: push to {} of {}: runs {} (merged into a pending one: {})", provider, push.branch(), push.urls().get(0),
                started, merged);
        return new Answer(202, "application/json", JSON.writeValueAsString(new Runs(started, merged)) + "\n");
    }

    private void refuse(HttpServerRequest request, String provider, int status, String why) {
        metrics.webhook(provider, "too_large");
        LOG.warn("webhook {} from {} refused ({}): {}", provider, request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress(),
                status, why);
        sendAndClose(request, Answer.text(status, why + "\n"));
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

    private static Runnable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }

    private static void send(HttpServerRequest request, Answer answer) {
        if (!request.response().ended() && !request.response().closed()) {
            request.response().setStatusCode(answer.status()).putHeader("Content-Type", answer.type()).end(answer.text());
        }
    }

    /** Answers before the request has been read whole, so the connection cannot be used again: it is closed. */
    private static void sendAndClose(HttpServerRequest request, Answer answer) {
        if (!request.response().ended() && !request.response().closed()) {
            request.response().putHeader("Connection", "close");
            send(request, answer);
            request.connection().close();
        }
    }

    @Override
    public void close() {
        hookWork.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("stopping the HTTP endpoints: {}", e.toString());
        }
    }
}
