package io.driftwarden.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BindingSlots#next}, the rule that picks which cluster's binding starts, row by row. Each row: the clusters as
 * {@code name:waiting/running/bound} in config order, {@code parallel}, and the cluster that starts next ({@code -}: none).
 * The threat rows are a slow or dead cluster that would hold every slot, and bounds or limits of one.
 */
class BindingSlotsTest {

    @ParameterizedTest(name = "{0} with {1} at once: {2}")
    @CsvSource(delimiter = '|', value = {
            // one cluster: as many as parallel and its bound allow
            "a:5/0/4|4|a",
            "a:5/3/4|4|a",
            "a:5/4/4|4|-", // parallel reached
            "a:5/4/4|8|-", // the cluster's own bound reached
            "a:0/2/4|4|-", // nothing waiting
            // two clusters: side by side, the one with fewer running first
            "a:5/0/4 b:5/0/4|4|a", // a tie goes in config order
            "a:4/1/4 b:5/0/4|4|b",
            "a:3/2/4 b:4/1/4|4|b",
            // threat: a slow cluster whose bindings never finish cannot take the last slot while b has work
            "a:9/3/4 b:5/0/4|4|b",
            "a:9/2/4 b:5/1/4|4|b", // b has fewer running
            "a:9/3/4 b:0/1/4|4|-", // b's one slot is taken by b itself; a stays at parallel − 1
            "a:9/3/4 b:0/0/4|4|a", // b is done: a may take every slot
            // threat: three clusters, two of them dead, parallel four: each live one still gets a slot
            "a:9/2/4 b:9/1/4 c:3/0/4|4|c",
            "a:9/2/4 b:9/2/4 c:3/0/4|4|-", // parallel reached; c gets the next slot freed (fewest running)
            // more clusters with work than parallel: everyone at most one, fewest running first
            "a:3/1/4 b:3/0/4 c:3/0/4|2|b",
            "a:3/1/4 b:3/1/4 c:3/0/4|2|-",
            // a bound of one serialises that cluster only
            "a:5/1/1 b:5/0/1|4|b",
            "a:5/1/1 b:5/1/1|4|-",
            // nothing waiting anywhere
            "a:0/0/4|4|-",
    })
    void picksTheNextCluster(String clusters, int parallel, String expected) {
        Map<String, Integer> waiting = new LinkedHashMap<>();
        Map<String, Integer> running = new LinkedHashMap<>();
        Map<String, Integer> bounds = new LinkedHashMap<>();
        for (String cluster : clusters.split(" ")) {
            String[] nameAndCounts = cluster.split(":");
            String[] counts = nameAndCounts[1].split("/");
            waiting.put(nameAndCounts[0], Integer.parseInt(counts[0]));
            running.put(nameAndCounts[0], Integer.parseInt(counts[1]));
            bounds.put(nameAndCounts[0], Integer.parseInt(counts[2]));
        }
        String next = BindingSlots.next(List.copyOf(bounds.keySet()), waiting, running, bounds, parallel);
        assertThat(next == null ? "-" : next).isEqualTo(expected);
    }
}
