package io.driftwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code run.parallelBindings} and {@code clusters[].maxInFlight}: their defaults, and what is refused. */
class RunSettingsTest {

    private static final Path FILE = Path.of("/etc/driftwarden/driftwarden.yaml");

    private static final String VALID = """
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
            """;

    @ParameterizedTest(name = "{0} clusters on {1} cores: {2} bindings at once")
    @CsvSource({
            "1, 1, 4", // a small run keeps the four it always had
            "1, 2, 4",
            "2, 2, 4",
            "3, 2, 6", // two per cluster once clusters outnumber cores
            "4, 2, 8",
            "1, 8, 16", // two per core on a big machine
            "40, 2, 64", // capped: many clusters do not mean hundreds of threads by default
            "1000, 1000, 64",
            "0, 0, 4", // nothing to spread: still at least four
    })
    void theDefaultFollowsClustersAndCores(int clusters, int cores, int expected) {
        assertThat(RunSettings.defaultParallelBindings(clusters, cores)).isEqualTo(expected);
        assertThat(RunSettings.DEFAULTS.parallelBindings(clusters, cores)).isEqualTo(expected);
        assertThat(new RunSettings(3).parallelBindings(clusters, cores)).isEqualTo(3);
    }

    @Test
    void readsRunAndMaxInFlight() {
        DriftwardenConfig config = ConfigLoader.parse(VALID.replace("    kubeconfig: kube/prod.yaml\n",
                "    kubeconfig: kube/prod.yaml\n    maxInFlight: 16\n") + "run:\n  parallelBindings: 12\n", FILE);
        assertThat(config.cluster("prod").maxInFlight()).isEqualTo(16);
        assertThat(config.run().parallelBindings()).isEqualTo(12);
        assertThat(config.parallelBindings(2)).isEqualTo(12);

        DriftwardenConfig defaults = ConfigLoader.parse(VALID, FILE);
        assertThat(defaults.cluster("prod").maxInFlight()).isEqualTo(ClusterSpec.DEFAULT_MAX_IN_FLIGHT);
        assertThat(defaults.run()).isEqualTo(RunSettings.DEFAULTS);
    }

    @ParameterizedTest(name = "maxInFlight: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "0|'maxInFlight' must be a whole number of at least 1, not '0'",
            "-4|'maxInFlight' must be a whole number of at least 1, not '-4'",
            "many|'maxInFlight' must be a whole number of at least 1, not 'many'",
            "257|maxInFlight must be at most 256, not 257",
            "99999999999|'maxInFlight' must be a whole number of at least 1, not '99999999999'", // no overflow
    })
    void refusesABadMaxInFlightNamingTheKey(String value, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("    kubeconfig: kube/prod.yaml\n",
                "    kubeconfig: kube/prod.yaml\n    maxInFlight: " + value + "\n"), FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p).startsWith(FILE + ":7: ").endsWith(expected)));
    }

    @ParameterizedTest(name = "parallelBindings: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "0|'parallelBindings' must be a whole number of at least 1, not '0'",
            "two|'parallelBindings' must be a whole number of at least 1, not 'two'",
            "1025|run: 'parallelBindings' must be at most 1024, not 1025",
            "4e3|'parallelBindings' must be a whole number of at least 1, not '4e3'",
    })
    void refusesABadParallelBindingsNamingTheKey(String value, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "run:\n  parallelBindings: " + value + "\n", FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p).startsWith(FILE + ":14: ").endsWith(expected)));
    }

    @Test
    void refusesAnUnknownKeyUnderRun() {
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "run:\n  parallel: 4\n", FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p).startsWith(FILE + ":14: unknown key 'parallel'")));
    }
}
