package io.driftwarden.jobs.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Helm's lock digest, reproduced: strings as Go's encoding/json writes them, and a lock checked against Chart.yaml.
 * (That the digest equals the one Helm writes is shown in {@code RemoteChartIT}, on a lock Helm's own dependency
 * update made.)
 */
class ChartLockTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            >=1.0.0 <2.0.0     | `"\\u003e=1.0.0 \\u003c2.0.0"`
            a&b                | `"a\\u0026b"`
            say "hi"           | `"say \\"hi\\""`
            back\\slash        | `"back\\\\slash"`
            """)
    void stringsAreWrittenAsGoWritesThem(String text, String json) {
        assertThat(ChartLock.string(text)).isEqualTo(json);
    }

    @Test
    void absentListsAreNullAndFieldsFollowHelmsStructOrderWithEmptyOnesLeftOut() {
        List<?> required = List.of(Map.of("name", "web", "version", "^1.0.0", "repository", "https://charts.example.com",
                "alias", "front", "condition", "web.enabled"));
        String lock = "digest: " + ChartLock.hashReq(required, List.of(Map.of("name", "web", "version", "1.0.3", "repository",
                "https://charts.example.com"))) + "\ndependencies:\n- name: web\n  version: 1.0.3\n  repository: https://charts.example.com\n";

        assertThat(ChartLock.hashReq(null, null)).isEqualTo("sha256:" + ChartCache.sha256("[null,null]".getBytes()));
        assertThat(ChartLock.check(required, lock, "app")).containsExactly(new ChartLock.Locked("web", "1.0.3", "https://charts.example.com"));
        assertThatThrownBy(() -> ChartLock.check(required, lock.replace("1.0.3", "1.0.4"), "app"))
                .isInstanceOf(ChartRefusedException.class).hasMessageContaining("Chart.lock is out of sync");
    }
}
