package io.driftwarden.jobs.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Helm chart repository on loopback, as {@code helm repo index} and a static web server make one: {@code index.yaml}
 * listing the charts added (name, version, digest, a URL relative to the index), each {@code .tgz} and its {@code .prov}.
 * It records every request path, so a test can count what a run asked for; files can be replaced afterwards (a tampered
 * archive) or served under any path (a hostile index).
 */
public final class ChartRepository implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final StringBuilder entries = new StringBuilder();
    private volatile String requiredAuthorization;

    private ChartRepository() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static ChartRepository start() throws IOException {
        return new ChartRepository();
    }

    /** The repository's URL ({@code http://127.0.0.1:PORT/charts}). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/charts";
    }

    /** Adds a packaged chart (and its {@code .prov} when one is beside it) to the index, as {@code helm repo index} would. */
    public synchronized ChartRepository add(String name, String version, Path archive) throws IOException {
        return add(name, version, archive, archive.getFileName().toString());
    }

    /** Adds a chart whose index entry names {@code url} (relative to the index, or absolute). */
    public synchronized ChartRepository add(String name, String version, Path archive, String url) throws IOException {
        byte[] bytes = Files.readAllBytes(archive);
        files.put("/charts/" + archive.getFileName(), bytes);
        Path prov = archive.resolveSibling(archive.getFileName() + ".prov");
        if (Files.exists(prov)) {
            files.put("/charts/" + archive.getFileName() + ".prov", Files.readAllBytes(prov));
        }
        entries.append("  - name: ").append(name).append("\n    version: ").append(version).append("\n    apiVersion: v2\n")
                .append("    digest: ").append(sha256(bytes)).append("\n    urls:\n      - ").append(url).append('\n');
        return this;
    }

    /** Answers 401 to every request whose {@code Authorization} header is not {@code authorization}. */
    public ChartRepository requireAuthorization(String authorization) {
        this.requiredAuthorization = authorization;
        return this;
    }

    /** Serves {@code bytes} at {@code path} in place of what was there. */
    public void put(String path, byte[] bytes) {
        files.put(path, bytes);
    }

    /** Serves nothing at {@code path} any more. */
    public void remove(String path) {
        files.remove(path);
    }

    /** The paths requested so far, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** The SHA-256 of {@code bytes}, hex, as Helm's index writes it. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(path);
        if (requiredAuthorization != null && !requiredAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        byte[] body;
        if (path.equals("/charts/index.yaml")) {
            synchronized (this) {
                body = ("apiVersion: v1\nentries:\n" + group() + "generated: \"2026-01-01T00:00:00Z\"\n").getBytes(StandardCharsets.UTF_8);
            }
        } else {
            body = files.get(path);
        }
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
        } else {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    /** The entries grouped under each chart name, as index.yaml has them. */
    private String group() {
        Map<String, StringBuilder> byName = new java.util.TreeMap<>();
        for (String entry : entries.toString().split("(?=  - name: )")) {
            if (entry.isBlank()) {
                continue;
            }
            String name = entry.substring("  - name: ".length(), entry.indexOf('\n'));
            byName.computeIfAbsent(name, n -> new StringBuilder()).append(entry);
        }
        StringBuilder out = new StringBuilder();
        byName.forEach((name, list) -> out.append("  ").append(name).append(":\n").append(list.toString().replaceAll("(?m)^", "  ")));
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
