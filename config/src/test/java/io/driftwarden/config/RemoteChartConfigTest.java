package io.driftwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A binding's remote chart ({@code helm.repository}): what is read, and each bad value refused at its file:line. */
class RemoteChartConfigTest {

    private static final Path FILE = Path.of("/etc/driftwarden/driftwarden.yaml");

    private static String config(String helmKeys) {
        return """
                sources:
                  - name: platform
                    url: file:///srv/git/platform.git
                clusters:
                  - name: prod
                    kubeconfig: kube/prod.yaml
                bindings:
                  - name: shop
                    source: platform
                    path: apps/shop
                    cluster: prod
                    namespace: shop
                    helm:
                """ + helmKeys.lines().map(line -> "      " + line + "\n").reduce("", String::concat);
    }

    @Test
    void readsARemoteChartWithCredentialsByReferenceAndFilesRelativeToTheConfig() {
        DriftwardenConfig config = ConfigLoader.parse(config("""
                repository: oci://registry.example.com/charts
                chart: ingress-nginx
                version: 4.11.3
                digest: sha256:%s
                valuesFiles: [prod.yaml]
                verify: {keyring: keys/charts.asc}
                auth: {usernameFrom: env:REG_USER, passwordFrom: file:/run/secrets/reg}
                caFile: ca/registry.pem
                timeout: 10s
                """.formatted("a".repeat(64))), FILE);

        RemoteChart remote = config.binding("shop").helm().remote();
        assertThat(remote.oci()).isTrue();
        assertThat(remote.reference()).isEqualTo("oci://registry.example.com/charts/ingress-nginx:4.11.3");
        assertThat(remote.base()).hasToString("https://registry.example.com/charts");
        assertThat(remote.keyring()).isEqualTo(Path.of("/etc/driftwarden/keys/charts.asc"));
        assertThat(remote.caFile()).isEqualTo(Path.of("/etc/driftwarden/ca/registry.pem"));
        assertThat(remote.username()).isEqualTo(new SecretRef("env", "REG_USER"));
        assertThat(remote.password()).isEqualTo(new SecretRef("file", "/run/secrets/reg"));
        assertThat(remote.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(remote.origin()).isEqualTo(FILE + ":14");
        assertThat(config.binding("shop").helm().valuesFiles()).containsExactly("prod.yaml");
    }

    @Test
    void aChartRepositoryNeedsNoDigestAndTimesOutAfterThirtySecondsByDefault() {
        RemoteChart remote = ConfigLoader.parse(config("repository: https://charts.example.com/stable\nchart: web\nversion: 1.0.0-rc.1+build.5\n"),
                FILE).binding("shop").helm().remote();

        assertThat(remote.digest()).isNull();
        assertThat(remote.timeout()).isEqualTo(RemoteChart.DEFAULT_TIMEOUT);
        assertThat(remote.reference()).isEqualTo("https://charts.example.com/stable web@1.0.0-rc.1+build.5");
        assertThat(ConfigLoader.parse(config("releaseName: web\n"), FILE).binding("shop").helm().remote()).isNull();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            version     | ^4.11.0                          | helm.version must be an exact version such as 4.11.3, not '^4.11.0'
            version     | ~4.11                            | not '~4.11'
            version     | '>=4.0.0 <5.0.0'                 | not '>=4.0.0 <5.0.0'
            version     | 4.x                              | not '4.x'
            version     | '*'                              | not '*'
            version     | latest                           | not 'latest'
            version     | v4.11.3                          | not 'v4.11.3'
            version     | 4.11                             | not '4.11'
            version     | 4.11.3 - 4.12.0                  | not '4.11.3 - 4.12.0'
            digest      | sha256:abc                       | helm.digest must be sha256: and 64 lowercase hex digits
            digest      | md5:d41d8cd98f00b204e9800998ecf8427e | helm.digest must be sha256:
            repository  | file:///etc                      | repository must be https://HOST/PATH (a chart repository) or oci://HOST/PATH
            repository  | s3://bucket/charts               | repository must be https://HOST/PATH
            repository  | https://user:pw@charts.example.com | may hold no credentials, query, fragment or '..'
            repository  | oci://registry.example.com/a/../b | may hold no credentials, query, fragment or '..'
            chart       | ../etc                           | chart '../etc' must be one name
            chart       | charts/web                       | chart 'charts/web' must be one name
            plainHttp   | true                             | plainHttp is for oci:// repositories
            """)
    void refusesEachBadValueAtItsLineNamingTheKey(String key, String value, String expected) {
        java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("repository", "https://charts.example.com/stable");
        keys.put("chart", "web");
        keys.put("version", "1.0.0");
        keys.put(key, value.contains(" ") || value.startsWith("*") ? "'" + value + "'" : value);
        StringBuilder helm = new StringBuilder();
        keys.forEach((k, v) -> helm.append(k).append(": ").append(v).append('\n'));
        String text = config(helm.toString());
        int line = List.of(text.split("\n")).indexOf("      " + key + ": " + keys.get(key)) + 1;

        assertThatThrownBy(() -> ConfigLoader.parse(text, FILE)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).singleElement().asString().startsWith(FILE + ":" + line + ": ").contains(expected));
    }

    @Test
    void refusesATokenWithBasicAuthAndRemoteKeysWithoutARepository() {
        assertThatThrownBy(() -> ConfigLoader.parse(config("""
                repository: oci://registry.example.com/charts
                chart: web
                version: 1.0.0
                auth: {tokenFrom: env:T, usernameFrom: env:U, passwordFrom: env:P}
                """), FILE)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
                .contains(":17: binding 'shop': helm.auth.tokenFrom: set tokenFrom or usernameFrom and passwordFrom, not both"));
        assertThatThrownBy(() -> ConfigLoader.parse(config("chart: web\nversion: 1.0.0\n"), FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        FILE + ":14: binding 'shop': helm.chart is for a remote chart: set helm.repository (https://… or oci://…) too, or remove it",
                        FILE + ":15: binding 'shop': helm.version is for a remote chart: set helm.repository (https://… or oci://…) too, or remove it"));
    }
}
