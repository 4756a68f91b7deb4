package io.driftwarden.cron;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Raw sockets that each send the first part of a request at once and the rest one byte per tick (a slowloris), or
 * nothing at all; each watches for what the server answers and when.
 */
final class SlowClients implements AutoCloseable {

    /**
     * What the server did to one client: the status lines it answered, whether it then closed the connection, and
     * when it closed it (or when the client gave up waiting).
     */
    record CutOff(int sentBytes, List<String> answers, boolean closed, Duration after) {
        @Override
        public String toString() {
            return "a client that had sent " + sentBytes + " bytes was answered " + answers + (closed ? " and closed" : " and not closed")
                    + " after " + after.toMillis() + " ms";
        }
    }

    private final int port;
    private final Duration readBound;
    private final List<Client> clients = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService readers = Executors.newCachedThreadPool();

    /** Clients of the server on this port; none waits longer than {@code readBound} for an answer. */
    SlowClients(int port, Duration readBound) {
        this.port = port;
        this.readBound = readBound;
    }

    /** Connects, sends {@code now} at once and keeps {@code trickle} for the ticks. */
    void open(String now, String trickle) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) readBound.toMillis());
        Client client = new Client(socket, trickle, System.nanoTime());
        client.write(now.getBytes(StandardCharsets.US_ASCII));
        client.cutOff = CompletableFuture.supplyAsync(client::awaitAnswer, readers);
        clients.add(client);
    }

    /** Sends every client's next byte now, and then once per {@code period} until each is cut off or done. */
    void trickle(Duration period) {
        tick();
        ticker.scheduleAtFixedRate(this::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
        for (Client client : clients) {
            if (client.next < client.trickle.length() && !client.socket.isClosed()) {
                client.write(new byte[] {(byte) client.trickle.charAt(client.next++)});
            }
        }
    }

    /** What the server did to each client, waiting at most the read bound for each. */
    List<CutOff> cutOffs() {
        return clients.stream().map(client -> client.cutOff.join()).toList();
    }

    @Override
    public void close() throws IOException {
        ticker.shutdownNow();
        for (Client client : clients) {
            client.socket.close();
        }
        readers.shutdownNow();
    }

    private final class Client {
        final Socket socket;
        final String trickle;
        final long openedAt;
        int next;
        volatile int sentBytes;
        CompletableFuture<CutOff> cutOff;

        Client(Socket socket, String trickle, long openedAt) {
            this.socket = socket;
            this.trickle = trickle;
            this.openedAt = openedAt;
        }

        void write(byte[] bytes) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
                sentBytes += bytes.length;
            } catch (IOException e) {
                next = trickle.length(); // the server closed it: nothing more to send
            }
        }

        CutOff awaitAnswer() {
            List<String> answers = new ArrayList<>();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                InputStream in = socket.getInputStream();
                for (int b = in.read(); b >= 0; b = in.read()) {
                    if (b == '\n') {
                        String text = line.toString(StandardCharsets.US_ASCII).strip();
                        if (text.startsWith("HTTP/1.")) {
                            answers.add(text);
                        }
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            } catch (SocketTimeoutException e) {
                return new CutOff(sentBytes, answers, false, elapsed());
            } catch (IOException e) {
                // reset by the server: closed too
            }
            return new CutOff(sentBytes, answers, true, elapsed());
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - openedAt);
        }
    }
}
