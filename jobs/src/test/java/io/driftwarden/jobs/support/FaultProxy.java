package io.driftwarden.jobs.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An HTTP proxy on loopback in front of the sandbox that logs every request it receives and answers each as its
 * current {@link Rule} says: pass it on, answer a status of its own, drop the connection (the API server died), or
 * never answer (it hangs). What it cannot prove: TLS, HTTP/2, and a load balancer's own behaviour.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does with one request. */
    public sealed interface Answer permits Pass, Status, Drop, Hang {
    }

    public record Pass() implements Answer {
    }

    /** Answers {@code code} with {@code body}; {@code retryAfter} (may be null) as the Retry-After header. */
    public record Status(int code, String retryAfter, String body) implements Answer {
    }

    /** Closes the connection without an answer, as a server that died. */
    public record Drop() implements Answer {
    }

    /** Never answers. */
    public record Hang() implements Answer {
    }

    /** One received request: its number (from 1), when ({@link System#nanoTime}), method, path with query, body. */
    public record Received(int number, long nanos, String method, String path, String body) {
        public boolean isWrite() {
            return !method.equals("GET") && !path.contains("dryRun=");
        }
    }

    /** Decides the answer to each request. */
    public interface Rule extends Function<Received, Answer> {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade",
            "keep-alive", "expect");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String upstreamUrl;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Rule rule = request -> new Pass();

    private FaultProxy(String upstreamUrl) throws IOException {
        this.upstreamUrl = upstreamUrl;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public static FaultProxy in(String upstreamUrl) throws IOException {
        return new FaultProxy(upstreamUrl);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FaultProxy rule(Rule rule) {
        this.rule = rule;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The kubeconfig of the sandbox, pointed at this proxy. */
    public String kubeconfig(String sandboxKubeconfig) {
        return sandboxKubeconfig.replace(upstreamUrl, url());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Received request = new Received(received.size() + 1, System.nanoTime(), exchange.getRequestMethod(), exchange.getRequestURI().toString(), body);
        received.add(request);
        Answer answer = rule.apply(request);
        if (answer instanceof Drop) {
            exchange.close();
            return;
        }
        if (answer instanceof Hang) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (answer instanceof Status status) {
            byte[] bytes = status.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", status.body().startsWith("{") ? "application/json" : "text/plain");
            if (status.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", status.retryAfter());
            }
            exchange.sendResponseHeaders(status.code(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
            return;
        }
        forward(exchange, body);
    }

    private void forward(HttpExchange exchange, String body) throws IOException {
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(upstreamUrl + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(value -> out.header(name, value));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = upstream.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(response.statusCode(), 0);
        try (InputStream in = response.body(); OutputStream to = exchange.getResponseBody()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                to.write(buffer, 0, n);
                to.flush();
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
