package io.driftwarden.jobs.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * Real Git servers on loopback that serve one repository read-only with JGit's own {@code UploadPack}: smart HTTP
 * over TLS with basic auth (JDK {@code HttpsServer}, a self-signed certificate made by the JDK's {@code keytool}),
 * SSH with public-key auth (Apache MINA sshd, the library JGit's client uses), and a server that accepts connections
 * and never answers. What they cannot prove: a forge's own auth (GitHub's token scopes), protocol v2, proxies.
 */
public final class GitServers {

    private GitServers() {
    }

    /** Smart HTTP over TLS; {@link #caPem} is the certificate a client must trust. */
    public static final class Https implements AutoCloseable {
        private final HttpsServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final Path gitDir;
        private final String authorization;
        private final Path caPem;
        /** The Authorization headers received, for checking what the client sent. */
        public final List<String> authorizations = new CopyOnWriteArrayList<>();

        public Https(Path gitDir, Path work, String user, String password) throws Exception {
            this.gitDir = gitDir;
            this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            Path keystore = work.resolve("server.p12");
            this.caPem = work.resolve("ca.pem");
            keytool("-genkeypair", "-alias", "git", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                    "-storepass", "changeit");
            keytool("-exportcert", "-rfc", "-alias", "git", "-keystore", keystore.toString(), "-storepass", "changeit", "-file", caPem.toString());
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "changeit".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.createContext("/", this::handle);
            server.setExecutor(threads);
            server.start();
        }

        public String url() {
            return "https://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
        }

        public Path caPem() {
            return caPem;
        }

        private void handle(HttpExchange exchange) throws IOException {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(header));
            if (!authorization.equals(header)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            String path = exchange.getRequestURI().getPath();
            try (Repository repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
                UploadPack upload = new UploadPack(repository);
                upload.setBiDirectionalPipe(false);
                if (path.endsWith("/info/refs") && "service=git-upload-pack".equals(exchange.getRequestURI().getQuery())) {
                    exchange.getResponseHeaders().set("Content-Type", "application/x-git-upload-pack-advertisement");
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        PacketLineOut lines = new PacketLineOut(out);
                        lines.writeString("# service=git-upload-pack\n");
                        lines.end();
                        upload.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(lines));
                    }
                } else if (path.endsWith("/git-upload-pack") && exchange.getRequestMethod().equals("POST")) {
                    InputStream in = exchange.getRequestBody();
                    if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                        in = new GZIPInputStream(in);
                    }
                    exchange.getResponseHeaders().set("Content-Type", "application/x-git-upload-pack-result");
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        upload.upload(in, out, null);
                    }
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }

        private static void keytool(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        }
    }

    /**
     * An SSH server that runs {@code git-upload-pack} for one client key. {@link #knownHostsLine} is what a
     * {@code known_hosts} file needs to trust it; {@link #writeClientKey} writes the accepted private key.
     */
    public static final class Ssh implements AutoCloseable {
        private final SshServer server;
        private final KeyPair hostKey;
        private final KeyPair clientKey;

        public Ssh(Path gitDir) throws Exception {
            this.hostKey = ecKeyPair();
            this.clientKey = ecKeyPair();
            server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
            server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            server.setCommandFactory((channel, command) -> new UploadPackCommand(gitDir, command));
            server.start();
        }

        public String url() {
            return "ssh://git@127.0.0.1:" + server.getPort() + "/repo.git";
        }

        public String knownHostsLine() {
            return "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n";
        }

        /** A known_hosts line for this server's address with another key: what an impostor's would look like. */
        public String impostorKnownHostsLine() throws Exception {
            return "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(ecKeyPair().getPublic()) + "\n";
        }

        public Path writeClientKey(Path file) throws Exception {
            return writeKey(clientKey, file);
        }

        /** Writes a key the server does not accept. */
        public static Path writeOtherKey(Path file) throws Exception {
            return writeKey(ecKeyPair(), file);
        }

        private static Path writeKey(KeyPair key, Path file) throws Exception {
            try (OutputStream out = Files.newOutputStream(file)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "driftwarden-test", null, out);
            }
            return file;
        }

        private static KeyPair ecKeyPair() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        }

        public PublicKey hostKey() {
            return hostKey.getPublic();
        }

        @Override
        public void close() throws IOException {
            server.stop(true);
        }
    }

    /** {@code git-upload-pack '/repo.git'} on the one repository. */
    private static final class UploadPackCommand implements Command {
        private final Path gitDir;
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(Path gitDir, String command) {
            this.gitDir = gitDir;
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment environment) {
            new Thread(() -> {
                if (!command.startsWith("git-upload-pack")) {
                    exit.onExit(1, "only git-upload-pack is served");
                    return;
                }
                try (Repository repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
                    new UploadPack(repository).upload(in, out, err);
                    out.flush();
                    exit.onExit(0);
                } catch (IOException e) {
                    exit.onExit(1, e.getMessage());
                }
            }, "ssh-upload-pack").start();
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }

    /** Accepts connections and never answers: a Git server that hangs. */
    public static final class Silent implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        public Silent() throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        held.add(socket.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-git");
            acceptor.start();
        }

        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
