package io.driftwarden.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.driftwarden.config.GitAuth;
import io.driftwarden.config.SecretRef;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.SourceSpec;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.GitServers;
import io.driftwarden.jobs.support.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching over HTTPS with a token and a private CA, and over SSH with a key and known_hosts, from real servers on
 * loopback; each way it can go wrong fails with a message that names the source and holds no secret.
 */
class GitCredentialsIT {

    private static final String TOKEN = "glpat-\"s3cr3t\\token";

    @TempDir
    Path tmp;

    private String commit;

    @BeforeEach
    void repository() throws Exception {
        try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            commit = repo.write("app/cm.yaml", "kind: ConfigMap\n").commit("served");
        }
    }

    @Test
    void httpsWithATokenAndAPrivateCaFetchesTheRepository() throws Exception {
        try (GitServers.Https server = new GitServers.Https(gitDir(), tmp, "git", TOKEN)) {
            SourceReader reader = new SourceReader(tmp.resolve("cache"));

            SourceRevision main = reader.resolve(https(server.url(), tokenFile(TOKEN), server.caPem(), Duration.ofSeconds(20)));

            assertThat(main.commit()).isEqualTo(commit);
            assertThat(reader.manifests(main, "app")).containsExactly(Map.entry("app/cm.yaml", "kind: ConfigMap\n"));
            assertThat(server.authorizations).contains("Basic " + java.util.Base64.getEncoder().encodeToString(("git:" + TOKEN).getBytes()));
        }
    }

    @Test
    void aWrongTokenIsRefusedWithAMessageThatDoesNotHoldIt() throws Exception {
        String wrong = "wrong-\"t0ken\\value";
        try (GitServers.Https server = new GitServers.Https(gitDir(), tmp, "git", TOKEN)) {
            Throwable failure = catchThrowable(() -> new SourceReader(tmp.resolve("cache"))
                    .resolve(https(server.url(), tokenFile(wrong), server.caPem(), Duration.ofSeconds(20))));

            assertThat(failure).isInstanceOf(SourceException.class).hasMessageStartingWith("cannot fetch " + server.url() + ": ")
                    .hasMessageContaining("not authorized");
            assertNoSecretIn(failure, wrong, TOKEN);
        }
    }

    @Test
    void aBindingWhoseFetchIsRefusedFailsWritesNothingAndItsAuditRowHoldsNoSecret() throws Exception {
        String wrong = "wrong-\"t0ken\\value";
        try (GitServers.Https server = new GitServers.Https(gitDir(), tmp, "git", TOKEN); World world = new World(tmp.resolve("world"))) {
            world.sandbox.createNamespaces("shop").clearRequests();
            Path tokenFile = tokenFile(wrong);
            DriftwardenConfig config = world.config("""
                    sources:
                      - name: platform
                        url: %s
                        auth: {tokenFrom: "file:%s", caFile: "%s"}
                    bindings:
                      - {name: shop, source: platform, path: app, cluster: sandbox, namespace: shop, mode: enforce}
                    """.formatted(server.url(), tokenFile, server.caPem()));

            BindingResult result = world.reconcile(config, "shop");

            assertThat(result.error()).startsWith("binding shop: cannot fetch " + server.url() + ": ").contains("not authorized");
            assertThat(world.writes()).isEmpty();
            assertThat(world.events(world.lastRunId())).containsExactly("FAILED ");
            String stored = world.everythingInTheAuditStore();
            assertThat(stored).contains("not authorized").doesNotContain(wrong).doesNotContain(TOKEN);
        }
    }

    @Test
    void aServerCertificateFromAnUntrustedCaIsRefused() throws Exception {
        try (GitServers.Https server = new GitServers.Https(gitDir(), tmp, "git", TOKEN)) {
            Throwable failure = catchThrowable(() -> new SourceReader(tmp.resolve("cache"))
                    .resolve(https(server.url(), tokenFile(TOKEN), null, Duration.ofSeconds(20))));

            assertThat(failure).isInstanceOf(SourceException.class).hasMessageStartingWith("cannot fetch " + server.url() + ": ")
                    .hasMessageContaining("certification path");
            assertThat(server.authorizations).isEmpty();
            assertNoSecretIn(failure, TOKEN);
        }
    }

    @Test
    void aServerThatWantsCredentialsTheSourceDoesNotHaveNamesTheKeysToSet() throws Exception {
        try (GitServers.Https server = new GitServers.Https(gitDir(), tmp, "git", TOKEN)) {
            // given a source with a CA but no credentials
            SourceSpec anonymous = new SourceSpec("platform", server.url(), "main", new GitAuth(null, null, null, server.caPem(), null, null),
                    Duration.ofSeconds(20), null, false, "driftwarden.yaml:2");

            // when it is fetched
            Throwable failure = catchThrowable(() -> new SourceReader(tmp.resolve("cache")).resolve(anonymous));

            // then the message says which config key to set, and JGit's words once at most
            assertThat(failure).isInstanceOf(SourceException.class).hasMessageStartingWith("cannot fetch " + server.url() + ": ")
                    .hasMessageContaining("auth.tokenFrom").hasMessageContaining("auth.passwordFrom");
            assertThat(failure.getMessage().split("CredentialsProvider", -1)).hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void anUntrustedServerCertificateNamesAuthCaFile() throws Exception {
        try (GitServers.Https server = new GitServers.Https(gitDir(), tmp, "git", TOKEN)) {
            Throwable failure = catchThrowable(() -> new SourceReader(tmp.resolve("cache"))
                    .resolve(https(server.url(), tokenFile(TOKEN), null, Duration.ofSeconds(20))));

            assertThat(failure).isInstanceOf(SourceException.class).hasMessageContaining("auth.caFile");
        }
    }

    @Test
    void aServerThatHangsFailsAfterTheSourceTimeout() throws Exception {
        try (GitServers.Silent server = new GitServers.Silent()) {
            String url = "https://127.0.0.1:" + server.port() + "/repo.git";

            Throwable failure = catchThrowable(() -> new SourceReader(tmp.resolve("cache"))
                    .resolve(https(url, tokenFile(TOKEN), null, Duration.ofSeconds(1))));

            assertThat(failure).isInstanceOf(SourceException.class).hasMessageStartingWith("cannot fetch " + url + ": ")
                    .hasMessageContaining("timed out");
            assertNoSecretIn(failure, TOKEN);
        }
    }

    @Test
    void sshWithAKeyAndKnownHostsFetchesTheRepository() throws Exception {
        try (GitServers.Ssh server = new GitServers.Ssh(gitDir())) {
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), server.knownHostsLine());
            SourceReader reader = new SourceReader(tmp.resolve("cache"));

            SourceRevision main = reader.resolve(ssh(server.url(), server.writeClientKey(tmp.resolve("id_ecdsa")), knownHosts));

            assertThat(main.commit()).isEqualTo(commit);
            assertThat(reader.manifests(main, "app")).containsOnlyKeys("app/cm.yaml");
        }
    }

    @Test
    void anSshHostKeyNotInKnownHostsIsRefused() throws Exception {
        try (GitServers.Ssh server = new GitServers.Ssh(gitDir())) {
            Path key = server.writeClientKey(tmp.resolve("id_ecdsa"));
            for (String knownHosts : new String[] {"", server.impostorKnownHostsLine()}) {
                Path file = Files.writeString(tmp.resolve("known_hosts"), knownHosts);

                Throwable failure = catchThrowable(() -> new SourceReader(tmp.resolve("cache")).resolve(ssh(server.url(), key, file)));

                assertThat(failure).as("known_hosts: '%s'", knownHosts).isInstanceOf(SourceException.class)
                        .hasMessageStartingWith("cannot fetch " + server.url() + ": ").hasMessageContaining("127.0.0.1");
                assertThat(failure.getMessage()).endsWith("Server key did not validate: the server's host key is not in auth.knownHosts "
                        + file + " or does not match it");
            }
        }
    }

    @Test
    void anSshKeyTheServerDoesNotAcceptIsRefused() throws Exception {
        try (GitServers.Ssh server = new GitServers.Ssh(gitDir())) {
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), server.knownHostsLine());

            Throwable failure = catchThrowable(() -> new SourceReader(tmp.resolve("cache"))
                    .resolve(ssh(server.url(), GitServers.Ssh.writeOtherKey(tmp.resolve("other")), knownHosts)));

            assertThat(failure).isInstanceOf(SourceException.class).hasMessageStartingWith("cannot fetch " + server.url() + ": ")
                    .hasMessageContaining("uthentication");
        }
    }

    private Path gitDir() {
        return tmp.resolve("repo").resolve(".git");
    }

    private Path tokenFile(String token) throws Exception {
        return Files.writeString(tmp.resolve("token-" + Math.abs(token.hashCode())), token);
    }

    private static SourceSpec https(String url, Path tokenFile, Path caFile, Duration timeout) {
        return new SourceSpec("platform", url, "main", new GitAuth(null, null, new SecretRef("file", tokenFile.toString()), caFile, null, null),
                timeout, null, false, "driftwarden.yaml:2");
    }

    private static SourceSpec ssh(String url, Path key, Path knownHosts) {
        return new SourceSpec("platform", url, "main", new GitAuth(null, null, null, null, key, knownHosts), Duration.ofSeconds(20), null,
                false, "driftwarden.yaml:2");
    }

    /** Neither the message nor any cause's message holds a secret, raw or JSON-escaped. */
    private static void assertNoSecretIn(Throwable failure, String... secrets) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (String secret : secrets) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret).doesNotContain(secret.replace("\\", "\\\\").replace("\"", "\\\""));
            }
        }
    }
}
