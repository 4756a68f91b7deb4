package io.driftwarden.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on loopback (the JDK's {@code com.sun.net.httpserver}) that records every request it gets and
 * answers each path with the statuses it was told, in order (the last one repeats); {@link #HANG} never answers until
 * the receiver is closed.
 */
final class Receiver implements AutoCloseable {

    /** An answer that never comes. */
    static final int HANG = -1;

    /** One request as it arrived: path, headers (lower-case names, first value) and body. */
    record Request(String path, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Integer>> answers = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, headers, body));
            Queue<Integer> queue = answers.getOrDefault(path, new ConcurrentLinkedQueue<>(List.of(200)));
            Integer status = queue.size() > 1 ? queue.poll() : queue.peek();
            if (status == null || status == HANG) {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers {@code path} with these statuses, one per request, the last one for every request after. */
    Receiver answer(String path, Integer... statuses) {
        answers.put(path, new ConcurrentLinkedQueue<>(List.of(statuses)));
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    List<Request> all() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
