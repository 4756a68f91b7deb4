package io.driftwarden.jobs.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.ConfigLoader;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.Mode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which bindings a run reconciles, and in which mode, by the request and the sync windows in force. */
class RunsTest {

    private static final Instant NOW = Instant.parse("2025-03-04T22:30:00Z");

    private static final DriftwardenConfig CONFIG = ConfigLoader.parse("""
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
                mode: enforce
              - name: blog
                source: platform
                path: apps/blog
                cluster: prod
                namespace: blog
                mode: enforce
              - name: wiki
                source: platform
                path: apps/wiki
                cluster: prod
                namespace: wiki
                mode: audit
            """, Path.of("/etc/driftwarden/driftwarden.yaml"));

    /** Windows closed for {@code shop} only, remembering whom they were asked about. */
    private final List<String> asked = new ArrayList<>();
    private final SyncWindowPolicy shopFrozen = (config, binding, now) -> {
        asked.add(binding.name() + "@" + now);
        return binding.name().equals("shop") ? "sync window closed: deny window for shop is open" : null;
    };

    @Test
    void runsEveryBindingInItsOwnModeWhenNoWindowIsClosed() {
        // when
        Runs.Selection selection = Runs.select(CONFIG, new RunRequest(List.of(), null, "manual"), SyncWindowPolicy.alwaysOpen(), NOW);

        // then
        assertThat(modes(selection.bindings())).containsExactly(Map.entry("shop", Mode.ENFORCE), Map.entry("blog", Mode.ENFORCE),
                Map.entry("wiki", Mode.AUDIT));
        assertThat(selection.closedWindows()).isEmpty();
    }

    @Test
    void onlyDetectsDriftOfABindingWhoseWindowIsClosedAndKeepsTheWindowForItsRow() {
        // when
        Runs.Selection selection = Runs.select(CONFIG, new RunRequest(List.of(), null, "cron"), shopFrozen, NOW);

        // then
        assertThat(modes(selection.bindings())).containsExactly(Map.entry("shop", Mode.AUDIT), Map.entry("blog", Mode.ENFORCE),
                Map.entry("wiki", Mode.AUDIT));
        assertThat(selection.closedWindows()).containsExactly(Map.entry("shop", "sync window closed: deny window for shop is open"));
        assertThat(asked).as("an auditing binding corrects nothing: its windows are not asked")
                .containsExactly("shop@" + NOW, "blog@" + NOW);
    }

    @Test
    void correctsInAClosedWindowWhenTheRunIgnoresWindowsAndStillRecordsIt() {
        // when
        Runs.Selection selection = Runs.select(CONFIG, new RunRequest(List.of("shop"), null, "manual", true), shopFrozen, NOW);

        // then
        assertThat(modes(selection.bindings())).containsExactly(Map.entry("shop", Mode.ENFORCE));
        assertThat(selection.closedWindows()).containsOnlyKeys("shop");
    }

    @Test
    void theRequestedModeOverridesEachBindingsOwnAndAuditAsksNoWindow() {
        // when
        Runs.Selection enforced = Runs.select(CONFIG, new RunRequest(List.of("wiki", "shop"), Mode.ENFORCE, "manual"), shopFrozen, NOW);
        asked.clear();
        Runs.Selection planned = Runs.select(CONFIG, new RunRequest(List.of(), Mode.AUDIT, "manual"), shopFrozen, NOW);

        // then
        assertThat(modes(enforced.bindings())).as("in config order; shop's window is closed")
                .containsExactly(Map.entry("shop", Mode.AUDIT), Map.entry("wiki", Mode.ENFORCE));
        assertThat(modes(planned.bindings()).values()).containsOnly(Mode.AUDIT);
        assertThat(planned.closedWindows()).isEmpty();
        assertThat(asked).isEmpty();
    }

    private static Map<String, Mode> modes(List<BindingSpec> bindings) {
        Map<String, Mode> modes = new java.util.LinkedHashMap<>();
        bindings.forEach(b -> modes.put(b.name(), b.mode()));
        return modes;
    }
}
