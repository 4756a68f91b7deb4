package io.driftwarden.jobs.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real OCI registry: the CNCF distribution registry as Debian packages it ({@code /usr/bin/docker-registry}, installed
 * by {@code .ci/run} when missing), started on a loopback port with its storage in a temp folder and no auth, stopped
 * with the test. Its log goes to {@code registry.log} in that folder.
 */
public final class DistributionRegistry implements AutoCloseable {

    /** Where Debian's package puts the registry. */
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;

    private DistributionRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a registry storing into {@code dir}; it answers {@code GET /v2/} before this returns. */
    public static DistributionRegistry start(Path dir) throws IOException {
        return start(dir, null, null);
    }

    /**
     * Starts a registry storing into {@code dir} that asks for basic auth ({@code htpasswd}, bcrypt) as {@code user} with
     * {@code password} when both are given; a registry started earlier on the same folder keeps what was pushed.
     */
    public static DistributionRegistry start(Path dir, String user, String password) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's docker-registry package (.ci/run does)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir.resolve("storage"));
        String auth = "";
        if (user != null) {
            byte[] salt = new byte[16];
            new java.security.SecureRandom().nextBytes(salt);
            Path htpasswd = Files.writeString(dir.resolve("htpasswd"), user + ":"
                    + org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, 6) + "\n");
            auth = "auth:\n  htpasswd:\n    realm: loopback\n    path: " + htpasswd + "\n";
        }
        Path config = Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port) + auth);
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        DistributionRegistry registry = new DistributionRegistry(process, port);
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try {
                int status = client.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                return status == 200 || status == 401 && user != null;
            } catch (IOException e) {
                return false;
            }
        });
        return registry;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:PORT}, as an {@code oci://} reference names the registry. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
