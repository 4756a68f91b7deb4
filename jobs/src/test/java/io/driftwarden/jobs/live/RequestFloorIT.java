package io.driftwarden.jobs.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.Reconciler;
import io.driftwarden.jobs.RunContext;
import io.driftwarden.sandbox.SandboxRequest;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests at the floor, counted at the sandbox (deterministic, so asserted): a steady run of three bindings in
 * three namespaces with two kinds each sends one LIST per (kind, namespace) and one Namespace LIST for the whole
 * cluster — no GET, no discovery, no write; at 1 drift, its dry-run confirmation and exactly one write. What the sandbox cannot prove: the cost
 * of each request on a real API server (the benchmark's business).
 */
class RequestFloorIT {

    @TempDir
    Path tmp;

    @Test
    void aSteadyRunListsEachKindOncePerNamespaceAndTheNamespacesOncePerCluster() throws Exception {
        try (World world = new World(tmp); GitRepo repo = world.repo("repo")) {
            String bindings = threeTeams(repo);
            DriftwardenConfig config = world.config(bindings);
            run(world, config);                                   // cold: creates the namespaces and objects
            world.sandbox.clearRequests();

            int rowsBefore = world.audit.records(io.driftwarden.audit.ReportFilter.all()).size();
            Run steadyRun = run(world, config);
            List<BindingResult> steady = steadyRun.results();

            assertThat(steady).allSatisfy(r -> assertThat(r.error()).isNull());
            assertThat(steadyRun.sources().parsedCache().parsedFiles()).as("an unchanged commit parses no file").isZero();
            assertThat(steadyRun.sources().parsedCache().reusedFiles()).as("its six files come from the parsed cache").isEqualTo(6);
            assertThat(steadyRun.sources().filesRead()).as("by the blob ids their tree entries name: none is read from Git").isZero();
            assertThat(world.audit.records(io.driftwarden.audit.ReportFilter.all())).as("a steady run writes no audit row").hasSize(rowsBefore);
            assertThat(byVerb(world.sandbox.requests())).isEqualTo(Map.of("LIST", 7));
            assertThat(world.lists()).filteredOn(r -> r.path().startsWith("/api/v1/namespaces?") || r.path().equals("/api/v1/namespaces"))
                    .hasSize(1);

            // one drifted object: its server dry-run (confirming the drift) and one write, nothing else
            world.sandbox.client().configMaps().inNamespace("team-b").withName("settings").edit(cm -> {
                cm.getData().put("k", "hand-edited");
                return cm;
            });
            world.sandbox.clearRequests();
            run(world, config);
            assertThat(byVerb(world.sandbox.requests())).isEqualTo(Map.of("LIST", 7, "DRY-RUN", 1, "PATCH", 1));
            assertThat(world.audit.records(io.driftwarden.audit.ReportFilter.all())).as("an intent, an outcome and the ConfigMap's health,"
                    + " known from the write (no LIST)").hasSize(rowsBefore + 3);
        }
    }

    @Test
    void listByLabelSendsOneLabelledListPerKindForAllBindingsAndReportsNoUnmanagedObjects() throws Exception {
        try (World world = new World(tmp); GitRepo repo = world.repo("repo")) {
            String bindings = threeTeams(repo);
            DriftwardenConfig config = world.config(world.dir.resolve("kubeconfig"), "    listByLabel: true\n", bindings);
            assertThat(run(world, config).results()).allSatisfy(r -> assertThat(r.error()).isNull());
            // made by hand, no label: a labelled list cannot see it
            world.sandbox.client().configMaps().inNamespace("team-a").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata().withName("by-hand").endMetadata().build()).create();
            world.sandbox.clearRequests();

            List<BindingResult> steady = run(world, config).results();

            assertThat(steady).allSatisfy(r -> {
                assertThat(r.error()).isNull();
                assertThat(r.driftCount()).isZero();
                assertThat(r.unmanaged()).isEmpty();
            });
            assertThat(world.lists()).extracting(r -> r.path()).containsExactlyInAnyOrder(
                    "/api/v1/namespaces?limit=500",
                    "/api/v1/configmaps?labelSelector=driftwarden.io%2Fbinding&limit=500",
                    "/api/v1/services?labelSelector=driftwarden.io%2Fbinding&limit=500");
            assertThat(byVerb(world.sandbox.requests())).isEqualTo(Map.of("LIST", 3));
        }
    }

    @Test
    void aLargeListIsReadInPagesOfFiveHundred() throws Exception {
        try (World world = new World(tmp)) {
            world.sandbox.createNamespaces("big");
            try (var client = world.sandbox.client()) {
                for (int i = 0; i < 1_203; i++) {
                    client.configMaps().inNamespace("big").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                            .withName(String.format("cm-%04d", i)).endMetadata().addToData("k", "v").build()).create();
                }
            }
            world.sandbox.clearRequests();
            try (Clusters clusters = new Clusters()) {
                Clusters.Cluster cluster = clusters.connect(world.config("sources: []\nbindings: []\n").cluster("sandbox"));

                var live = new LiveReader().read(cluster, java.util.Set.of(new io.driftwarden.jobs.resource.ResourceKey.ListGroup("v1", "ConfigMap", "big")));

                assertThat(live.keySet()).filteredOn(k -> k.name().startsWith("cm-")).hasSize(1_203);
            }
            assertThat(world.lists()).extracting(r -> r.path().replaceAll("continue=[^&]*", "continue=…"))
                    .containsExactly("/api/v1/namespaces/big/configmaps?limit=500", "/api/v1/namespaces/big/configmaps?continue=…&limit=500",
                            "/api/v1/namespaces/big/configmaps?continue=…&limit=500");
        }
    }

    /** Three teams' bindings (team-a, -b, -c), each a ConfigMap and a Service, each creating its namespace. */
    private static String threeTeams(GitRepo repo) throws Exception {
        StringBuilder bindings = new StringBuilder(World.sources(repo));
        for (String team : List.of("a", "b", "c")) {
            repo.write(team + "/cm.yaml", Manifests.configMap("settings", "k", "v")).write(team + "/svc.yaml", Manifests.service("web"));
            bindings.append("""
                      - {name: team-%1$s, source: repo, path: %1$s, cluster: sandbox, namespace: team-%1$s, mode: enforce, createNamespace: true}
                    """.formatted(team));
        }
        repo.commit("three teams");
        return bindings.toString();
    }

    /** A run's results, and the reader it read Git with. */
    private record Run(List<BindingResult> results, SourceReader sources) {
    }

    /** A run as {@code driftwarden run} makes it: clients and fetches prepared before the first binding (no request). */
    private static Run run(World world, DriftwardenConfig config) {
        SourceReader sources = new SourceReader(world.dir.resolve("git-cache")).prefetch(config.sources());
        try (Clusters clusters = new Clusters().prepare(config.clusters())) {
            Reconciler reconciler = new Reconciler(config, sources, clusters, world.audit);
            RunContext run = new RunContext("run-" + System.nanoTime(), "manual");
            return new Run(config.bindings().stream().map(b -> reconciler.reconcile(b, run)).toList(), sources);
        }
    }

    private static Map<String, Integer> byVerb(List<SandboxRequest> requests) {
        Map<String, Integer> verbs = new TreeMap<>();
        requests.forEach(r -> verbs.merge(r.isList() ? "LIST" : r.path().contains("dryRun=") ? "DRY-RUN" : r.method(), 1, Integer::sum));
        return verbs;
    }
}
