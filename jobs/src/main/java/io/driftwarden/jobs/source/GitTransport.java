package io.driftwarden.jobs.source;

import io.driftwarden.config.GitAuth;
import io.driftwarden.config.SourceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * A source's credentials and timeout applied to one JGit fetch or clone. HTTPS: basic auth with the token or
 * password read now from its reference, and with {@code caFile} only that CA trusted. SSH: JGit's Apache MINA sshd
 * client with an OpenSSH config written for this source alone — its key, its {@code known_hosts},
 * {@code StrictHostKeyChecking yes} (an unknown or changed host key is refused), no agent, nothing from the
 * machine's {@code ~/.ssh}. The secret's value never reaches a message: see {@link #secretValues}.
 */
final class GitTransport implements AutoCloseable {

    private final SourceSpec source;
    private final TrustManager[] trust;
    private final SshdSessionFactory ssh;

    private GitTransport(SourceSpec source, TrustManager[] trust, SshdSessionFactory ssh) {
        this.source = source;
        this.trust = trust;
        this.ssh = ssh;
    }

    /** The transport settings of {@code source}; {@code scratch} holds its generated SSH config. Close after use. */
    static GitTransport of(SourceSpec source, Path scratch) {
        GitAuth auth = source.auth();
        return new GitTransport(source, auth.caFile() == null ? null : trustOnly(auth.caFile()),
                auth.knownHosts() == null ? null : ssh(auth, scratch));
    }

    /** Applies the source's credentials, CA, SSH settings and timeout to {@code command}. */
    <C extends TransportCommand<C, ?>> C apply(C command) {
        GitAuth auth = source.auth();
        command.setTimeout((int) Math.max(1, source.timeout().toSeconds()));
        if (auth.secret() != null) {
            command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(auth.user(), auth.secret().resolve()));
        }
        command.setTransportConfigCallback(transport -> {
            if (transport instanceof TransportHttp http && trust != null) {
                http.setHttpConnectionFactory(new JDKHttpConnectionFactory() {
                    @Override
                    public HttpConnection create(URL url, Proxy proxy) throws IOException {
                        HttpConnection connection = super.create(url, proxy);
                        try {
                            connection.configure(null, trust, null);
                        } catch (GeneralSecurityException e) {
                            throw new IOException("cannot use the CA of " + auth.caFile() + ": " + e.getMessage(), e);
                        }
                        return connection;
                    }
                });
            }
            if (transport instanceof SshTransport sshTransport && ssh != null) {
                sshTransport.setSshSessionFactory(ssh);
            }
        });
        return command;
    }

    @Override
    public void close() {
        if (ssh != null) {
            ssh.close();
        }
    }

    /**
     * Why a fetch failed, in words a user can act on: JGit's message without the URL it repeats, the innermost cause
     * when it adds something, and the config key to check or set — {@code auth.tokenFrom} / {@code auth.passwordFrom}
     * for credentials missing or refused, {@code auth.caFile} for a certificate not trusted, {@code auth.knownHosts} for
     * a host key.
     */
    static String explain(SourceSpec source, Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = withoutUrl(source, failure.getMessage());
        String cause = root == failure || root.getMessage() == null ? null : withoutUrl(source, root.getMessage());
        if (cause != null && !message.contains(cause)) {
            message += " (" + cause + ")";
        }
        GitAuth auth = source.auth();
        String secretKey = auth.token() != null ? "auth.tokenFrom" : "auth.passwordFrom";
        if (message.contains("no CredentialsProvider has been registered")) {
            return "the server asks for credentials and source '" + source.name() + "' has none: set auth.tokenFrom "
                    + "(or auth.username and auth.passwordFrom)";
        }
        if (message.contains("Server key did not validate")) {
            message += ": the server's host key is not in auth.knownHosts " + auth.knownHosts() + " or does not match it";
        } else if (message.contains("not authorized") && auth.secret() != null) {
            message += ": check the credentials " + secretKey + " (" + auth.secret() + ") refers to";
        } else if (message.contains("certification path")) {
            message += auth.caFile() == null
                    ? ": the server's certificate is not signed by a CA this JVM trusts: set auth.caFile to the PEM of the CA that signed it"
                    : ": the server's certificate is not signed by the CA in auth.caFile " + auth.caFile();
        }
        return message;
    }

    private static String withoutUrl(SourceSpec source, String message) {
        String text = String.valueOf(message);
        return text.startsWith(source.url() + ": ") ? text.substring(source.url().length() + 2) : text;
    }

    /** The values a message about this source must never show. */
    static List<String> secretValues(SourceSpec source) {
        if (source.auth().secret() == null) {
            return List.of();
        }
        try {
            return List.of(source.auth().secret().resolve());
        } catch (RuntimeException unset) {
            return List.of();
        }
    }

    /** Trust managers that trust the certificates in {@code caFile} (PEM) and nothing else. */
    private static TrustManager[] trustOnly(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new SourceException("auth.caFile " + caFile + " holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new SourceException("cannot read auth.caFile " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** An sshd session factory that knows only this source's key and known_hosts. */
    private static SshdSessionFactory ssh(GitAuth auth, Path scratch) {
        try {
            Path home = Files.createDirectories(scratch.resolve("ssh-home"));
            Path sshDir = Files.createDirectories(home.resolve(".ssh"));
            StringBuilder config = new StringBuilder("Host *\n")
                    .append("  StrictHostKeyChecking yes\n")
                    .append("  UserKnownHostsFile \"").append(auth.knownHosts().toAbsolutePath()).append("\"\n")
                    .append("  GlobalKnownHostsFile none\n")
                    .append("  IdentitiesOnly yes\n")
                    .append("  IdentityAgent none\n")
                    .append("  BatchMode yes\n");
            if (auth.sshKey() != null) {
                config.append("  IdentityFile \"").append(auth.sshKey().toAbsolutePath()).append("\"\n");
            }
            Path configFile = Files.writeString(sshDir.resolve("config"), config);
            return new SshdSessionFactoryBuilder()
                    .setHomeDirectory(home.toFile())
                    .setSshDirectory(sshDir.toFile())
                    .setConfigFile(dir -> configFile.toFile())
                    .setDefaultKnownHostsFiles(dir -> List.of(auth.knownHosts().toAbsolutePath()))
                    .setDefaultIdentities(dir -> auth.sshKey() == null ? List.of() : List.of(auth.sshKey().toAbsolutePath()))
                    .setPreferredAuthentications("publickey")
                    .setConnectorFactory(null)
                    .build(new JGitKeyCache());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
