package io.driftwarden.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's smoke mode ({@code ./benchmark 1 "" smoke}), one namespace of workload W (201 objects): the real
 * launcher against the sandbox, the per-object baseline as a process of its own (also creating the namespace's objects
 * into a fresh sandbox), and the daemon's steady run started by a push. Request counts and writes only;
 * times are not asserted (this machine is shared).
 */
class BenchmarkSmokeE2E {

    @Test
    void driftwardenStaysAtTheRequestFloorAndTheBaselinePaysAGetPerObject() throws Exception {
        Map<String, Map<String, Integer>> requests = Benchmark.smoke(LauncherE2E.LAUNCHER, 1);

        // five kinds in one namespace: five LISTs, whatever the drift; a drifted object: one dry-run and one write; cold,
        // the health step LISTs again the kinds whose new objects it waits on (two here; README, "Health after the writes")
        assertThat(requests).containsOnlyKeys("cold", "no drift", "1% drift", "baseline no drift", "baseline 1% drift", "baseline cold",
                "daemon no drift");
        assertThat(requests.get("cold")).isEqualTo(Map.of("LIST", 7, "WRITE", 201));
        assertThat(requests.get("no drift")).isEqualTo(Map.of("LIST", 5));
        assertThat(requests.get("1% drift")).isEqualTo(Map.of("LIST", 5, "DRYRUN", 2, "WRITE", 2));
        // the loop: a GET per object, a PATCH per drifted one
        assertThat(requests.get("baseline no drift")).isEqualTo(Map.of("GET", 201));
        assertThat(requests.get("baseline 1% drift")).isEqualTo(Map.of("GET", 201, "WRITE", 2));
        // cold creation by the loop into a fresh sandbox: a GET (not found) and a POST per object
        assertThat(requests.get("baseline cold")).isEqualTo(Map.of("GET", 201, "WRITE", 201));
        // the daemon's warm steady run, started by a push to its webhook: the same floor as a one-shot run
        assertThat(requests.get("daemon no drift")).isEqualTo(Map.of("LIST", 5));
    }
}
