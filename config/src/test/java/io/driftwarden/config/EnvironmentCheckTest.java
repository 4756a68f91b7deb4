package io.driftwarden.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run needs from its machine, checked against real files (a kubeconfig, a password file) before any contact. */
class EnvironmentCheckTest {

    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters: [{name: staging, cluster: {server: "https://staging.example:6443"}}]
            users: [{name: me, user: {token: t}}]
            contexts: [{name: staging, context: {cluster: staging, user: me}}]
            current-context: staging
            """;

    @TempDir
    Path tmp;

    @Test
    void aMistypedContextIsRefusedWithTheClustersLineInsteadOfFallingBackToTheCurrentOne() throws Exception {
        Files.writeString(tmp.resolve("kubeconfig"), KUBECONFIG);

        DriftwardenConfig config = config("context: stagin");

        assertThat(EnvironmentCheck.problems(config, config.bindings())).containsExactly(tmp.resolve("driftwarden.yaml")
                + ":3: cluster 'staging': context 'stagin' is not in kubeconfig " + tmp.resolve("kubeconfig")
                + " (it has: staging); nothing was contacted");
    }

    @Test
    void aMissingKubeconfigAndAMissingPasswordAreNamedWithTheirLines() throws Exception {
        DriftwardenConfig config = ConfigLoader.parse("""
                audit:
                  url: jdbc:postgresql://db/audit
                  passwordFrom: env:DRIFTWARDEN_TEST_SURELY_UNSET_VARIABLE
                sources: [{name: repo, url: "file:///srv/git/repo"}]
                clusters:
                  - name: staging
                    kubeconfig: nowhere.yaml
                bindings: [{name: shop, source: repo, cluster: staging, namespace: shop}]
                """, tmp.resolve("driftwarden.yaml"));

        assertThat(EnvironmentCheck.problems(config, config.bindings())).containsExactly(
                tmp.resolve("driftwarden.yaml") + ":6: cluster 'staging': kubeconfig " + tmp.resolve("nowhere.yaml")
                        + " does not exist or cannot be read",
                tmp.resolve("driftwarden.yaml") + ":3: audit.passwordFrom: environment variable DRIFTWARDEN_TEST_SURELY_UNSET_VARIABLE is not set");
    }

    @Test
    void theDaemonsWebhookSecretsAreCheckedWithTheirLines() throws Exception {
        // given a webhook whose GitHub secret variable is unset and whose HMAC secret file is missing
        Files.writeString(tmp.resolve("kubeconfig"), KUBECONFIG);
        DriftwardenConfig config = ConfigLoader.parse("""
                sources: [{name: repo, url: "file:///srv/git/repo"}]
                clusters: [{name: staging, kubeconfig: kubeconfig}]
                bindings: [{name: shop, source: repo, cluster: staging, namespace: shop}]
                webhook:
                  githubSecretFrom: env:DRIFTWARDEN_TEST_SURELY_UNSET_VARIABLE
                  hmacSecretFrom: file:nowhere-secret
                """, tmp.resolve("driftwarden.yaml"));

        // then run and plan need none of it, the daemon all of it
        assertThat(EnvironmentCheck.problems(config, config.bindings())).isEmpty();
        assertThat(EnvironmentCheck.daemonProblems(config)).containsExactly(
                tmp.resolve("driftwarden.yaml") + ":5: webhook.githubSecretFrom: environment variable DRIFTWARDEN_TEST_SURELY_UNSET_VARIABLE is not set",
                tmp.resolve("driftwarden.yaml") + ":6: webhook.hmacSecretFrom: cannot read secret file nowhere-secret");
    }

    @Test
    void aGoodEnvironmentHasNoProblems() throws Exception {
        Files.writeString(tmp.resolve("kubeconfig"), KUBECONFIG);
        Files.writeString(tmp.resolve("password"), "s3cret\n");

        DriftwardenConfig config = config("context: staging");

        assertThat(EnvironmentCheck.problems(config, config.bindings())).isEmpty();
    }

    private DriftwardenConfig config(String context) {
        return ConfigLoader.parse("""
                sources: [{name: repo, url: "file:///srv/git/repo"}]
                clusters:
                  - name: staging
                    kubeconfig: kubeconfig
                    %s
                bindings: [{name: shop, source: repo, cluster: staging, namespace: shop}]
                """.formatted(context), tmp.resolve("driftwarden.yaml"));
    }
}
