package io.driftwarden.jobs.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.config.ClusterSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.Reconciler;
import io.driftwarden.jobs.RunContext;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.support.FaultProxy;
import io.driftwarden.jobs.support.FaultProxy.Drop;
import io.driftwarden.jobs.support.FaultProxy.Hang;
import io.driftwarden.jobs.support.FaultProxy.Pass;
import io.driftwarden.jobs.support.FaultProxy.Received;
import io.driftwarden.jobs.support.FaultProxy.Status;
import io.driftwarden.jobs.support.GitRepo;
import io.driftwarden.jobs.support.Manifests;
import io.driftwarden.jobs.support.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that end when the cluster misbehaves, through a fault-injecting proxy in front of the sandbox: a server that
 * dies mid-run, one that asks to slow down (429 with Retry-After), one that keeps failing (500), one that echoes a
 * Secret in its refusal, one that hangs. Assertions count requests, never seconds. What this cannot prove: TLS
 * failures, HTTP/2, and the exact errors a real load balancer in front of an API server gives.
 */
class FaultsIT {

    @TempDir
    Path tmp;

    private World world;
    private FaultProxy proxy;
    private Path kubeconfig;
    private String lastRun;

    @BeforeEach
    void start() throws Exception {
        world = new World(tmp);
        world.sandbox.createNamespaces("team-a", "team-b");
        proxy = FaultProxy.in(world.sandbox.url());
        kubeconfig = Files.writeString(tmp.resolve("proxied-kubeconfig"), proxy.kubeconfig(world.sandbox.kubeconfig()));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        world.close();
    }

    @Test
    void aClusterThatDiesMidRunEndsTheRunWithEveryObjectAccountedForAfterABoundedNumberOfAttempts() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            for (int i = 0; i < 10; i++) {
                repo.write("a/cm-" + i + ".yaml", Manifests.configMap("cm-" + i, "k", "v"));
            }
            repo.write("b/cm.yaml", Manifests.configMap("other", "k", "v")).commit("ten objects for team-a, one for team-b");
            DriftwardenConfig config = world.config(kubeconfig, "", World.sources(repo) + World.binding("team-a", "a") + World.binding("team-b", "b"));
            // the API server dies after three writes went through
            AtomicInteger writes = new AtomicInteger();
            AtomicInteger diedAt = new AtomicInteger();
            proxy.rule(request -> {
                if (diedAt.get() > 0 || (request.isWrite() && writes.incrementAndGet() > 3)) {
                    diedAt.compareAndSet(0, request.number());
                    return new Drop();
                }
                return new Pass();
            });

            long started = System.nanoTime();
            List<BindingResult> results = run(config, "team-a", "team-b");
            System.out.printf("FaultsIT: a run whose API server died mid-way ended after %d ms%n", (System.nanoTime() - started) / 1_000_000);

            BindingResult teamA = results.get(0);
            assertThat(teamA.failed()).isTrue();
            assertThat(teamA.changes()).filteredOn(c -> c.action() == Action.CREATED).hasSize(3);
            List<Change> failed = teamA.changes().stream().filter(c -> c.action() == Action.FAILED).toList();
            assertThat(failed).hasSize(7);
            // the ten ConfigMaps are one kind rank, written side by side: each failed one was either attempted (a request
            // went out for it: it failed with why it got no answer) or not sent (the cut-off came first)
            List<Change> attempted = failed.stream().filter(c -> c.detail().contains(" apply failed: cluster sandbox did not answer (after ")
                    || c.detail().contains(" apply failed: cluster sandbox is unreachable (" + Requests.UNREACHABLE_AFTER
                    + " requests in a row got no answer; the last: ")).toList();
            List<Change> notSent = failed.stream().filter(c -> c.detail().contains(" not created (not sent): cluster sandbox is unreachable (")).toList();
            assertThat(attempted.size() + notSent.size()).isEqualTo(7);
            assertThat(attempted).isNotEmpty();
            // the cut-off: N requests in a row without an answer, plus at most those already in flight when the N-th failed
            List<Received> afterDeath = proxy.received().stream().filter(r -> r.number() >= diedAt.get()).toList();
            assertThat(afterDeath.size()).isBetween(Requests.UNREACHABLE_AFTER, Requests.UNREACHABLE_AFTER + ClusterSpec.DEFAULT_MAX_IN_FLIGHT - 1);
            assertThat(attempted.size()).isLessThanOrEqualTo(afterDeath.size());
            // team-b, on the same cluster, fails at once without a request
            assertThat(results.get(1).error()).startsWith("binding team-b: cannot list ConfigMap (v1) in namespace team-b: cluster sandbox is "
                    + "unreachable (");
            // every intent has its outcome, and each object not written has one FAILED row naming the cause
            assertThat(world.audit.unfinishedIntents("team-a", Instant.now().plusSeconds(60)).intents()).isEmpty();
            assertThat(world.events(lastRun)).filteredOn(e -> e.startsWith("FAILED ConfigMap/team-a/")).hasSize(7);
            // the rank's intents were committed together before any write: all ten, each with exactly one outcome
            List<String> events = world.events(lastRun);
            assertThat(events).filteredOn(e -> e.startsWith("INTENT")).hasSize(10);
            for (int i = 0; i < 10; i++) {
                String subject = "ConfigMap/team-a/cm-" + i;
                assertThat(events).filteredOn(e -> e.equals("CORRECTED " + subject) || e.equals("FAILED " + subject)).as(subject).hasSize(1);
            }
            int lastIntent = events.lastIndexOf("INTENT ConfigMap/team-a/cm-9");
            assertThat(events.subList(0, lastIntent)).noneMatch(e -> e.startsWith("CORRECTED") || e.startsWith("FAILED"));
        }
    }

    @Test
    void tooManyRequestsIsTriedAgainNoSoonerThanTheClusterAsked() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("a/cm.yaml", Manifests.configMap("settings", "k", "v")).commit("one object");
            DriftwardenConfig config = world.config(kubeconfig, "", World.sources(repo) + World.binding("team-a", "a"));
            // kube-apiserver's max-in-flight filter: 429, Retry-After, a plain-text body
            AtomicInteger writes = new AtomicInteger();
            proxy.rule(request -> request.isWrite() && writes.incrementAndGet() == 1
                    ? new Status(429, "1", "Too many requests, please try again later.\n") : new Pass());

            BindingResult result = run(config, "team-a").get(0);

            assertThat(result.changes()).extracting(c -> c.action() + " " + c.key().subject()).containsExactly("CREATED ConfigMap/team-a/settings");
            List<Received> tries = proxy.received().stream().filter(Received::isWrite).toList();
            assertThat(tries).hasSize(2);
            assertThat(tries.get(1).nanos() - tries.get(0).nanos()).isGreaterThanOrEqualTo(1_000_000_000L);
        }
    }

    @Test
    void aServerErrorIsTriedABoundedNumberOfTimesAndTheRowNamesClusterStatusAndTheServersMessage() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("a/one.yaml", Manifests.configMap("one", "k", "v")).write("a/two.yaml", Manifests.configMap("two", "k", "v")).commit("two");
            DriftwardenConfig config = world.config(kubeconfig, "", World.sources(repo) + World.binding("team-a", "a"));
            proxy.rule(request -> request.isWrite() ? new Status(500, null, status(500, "InternalError",
                    "Internal error occurred: failed calling webhook \\\"validate.example.com\\\": context deadline exceeded")) : new Pass());

            BindingResult result = run(config, "team-a").get(0);

            assertThat(result.changes()).extracting(Change::detail).containsExactly(
                    "ConfigMap/team-a/one apply failed: cluster sandbox answered HTTP 500 (after 4 attempts): Internal error occurred: "
                            + "failed calling webhook \"validate.example.com\": context deadline exceeded",
                    "ConfigMap/team-a/two apply failed: cluster sandbox answered HTTP 500 (after 4 attempts): Internal error occurred: "
                            + "failed calling webhook \"validate.example.com\": context deadline exceeded");
            // an answer, even an error, means the cluster is there: each object gets all its attempts
            assertThat(proxy.received().stream().filter(Received::isWrite)).hasSize(2 * Requests.ATTEMPTS);
            assertThat(world.sandbox.client().configMaps().inNamespace("team-a").list().getItems())
                    .noneMatch(cm -> cm.getMetadata().getName().equals("one"));
        }
    }

    @Test
    void aRefusalThatEchoesTheSecretIsStoredWithoutItsValues() throws Exception {
        String[] values = {"pa\"ss\\wo\nrd", "ünï-cødé ☃", "s3cr3t-plain"};
        try (GitRepo repo = world.repo("repo")) {
            repo.write("a/secret.yaml", """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: creds}
                    type: Opaque
                    stringData:
                      quoted: "pa\\"ss\\\\wo\\nrd"
                      unicode: "ünï-cødé ☃"
                      plain: s3cr3t-plain
                    """).commit("a secret");
            DriftwardenConfig config = world.config(kubeconfig, "", World.sources(repo) + World.binding("team-a", "a"));
            // an admission webhook that quotes the whole request in its message, JSON-escaped inside the Status
            proxy.rule(request -> request.isWrite() ? new Status(422, null, status(422, "Invalid",
                    "admission webhook \\\"policy.example.com\\\" denied the request: " + jsonEscape(request.body()))) : new Pass());

            BindingResult result = run(config, "team-a").get(0);

            assertThat(result.changes()).singleElement().satisfies(change -> {
                assertThat(change.action()).isEqualTo(Action.FAILED);
                assertThat(change.detail()).startsWith("Secret/team-a/creds apply failed: cluster sandbox answered HTTP 422: admission webhook "
                        + "\"policy.example.com\" denied the request: ");
            });
            String stored = world.everythingInTheAuditStore();
            assertThat(stored).contains("denied the request");
            for (String value : values) {
                for (String encoded : List.of(value, jsonEscape(value), jsonEscape(jsonEscape(value)))) {
                    assertThat(stored).doesNotContain(encoded);
                    assertThat(result.changes().get(0).detail()).doesNotContain(encoded);
                }
            }
            assertThat(proxy.received().stream().filter(Received::isWrite)).hasSize(1);
            assertThat(world.sandbox.client().secrets().inNamespace("team-a").withName("creds").get()).isNull();
        }
    }

    @Test
    void aClusterThatHangsFailsTheBindingAfterItsRequestTimeoutAndABoundedNumberOfAttempts() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("a/cm.yaml", Manifests.configMap("settings", "k", "v")).commit("one object");
            DriftwardenConfig config = world.config(kubeconfig, "    requestTimeout: 500ms\n", World.sources(repo) + World.binding("team-a", "a"));
            proxy.rule(request -> new Hang());

            BindingResult result = run(config, "team-a").get(0);

            assertThat(result.error()).isEqualTo("binding team-a: cannot list ConfigMap (v1) in namespace team-a: cluster sandbox did not "
                    + "answer (after " + Requests.ATTEMPTS + " attempts): no answer within the request timeout");
            assertThat(proxy.received()).hasSize(Requests.ATTEMPTS);
            assertThat(world.sandbox.client().configMaps().inNamespace("team-a").withName("settings").get()).isNull();
        }
    }

    /** The bindings reconciled as one run: one set of cluster clients, as the batch job shares them. */
    @Test
    void aBindingsListsThenItsDryRunsThenTheWritesOfOneKindRankAreInFlightTogetherNotOneAfterAnother() throws Exception {
        try (GitRepo repo = world.repo("repo")) {
            repo.write("a/cm.yaml", Manifests.configMap("settings", "k", "v")).write("a/svc.yaml", Manifests.service("web"))
                    .write("a/cm2.yaml", Manifests.configMap("other", "k", "v")).commit("two kinds, three objects");
            DriftwardenConfig config = world.config(kubeconfig, "", World.sources(repo) + World.binding("team-a", "a"));
            assertThat(run(config, "team-a").get(0).error()).isNull();
            for (String name : List.of("settings", "other")) {
                world.sandbox.client().configMaps().inNamespace("team-a").withName(name).edit(cm -> {
                    cm.getData().put("k", "by hand");
                    return cm;
                });
            }
            // each LIST of team-a's namespace, then each dry-run, is held at the proxy until the binding's other one arrived
            CountDownLatch lists = new CountDownLatch(2);
            CountDownLatch dryRuns = new CountDownLatch(2);
            CountDownLatch writes = new CountDownLatch(2); // the two ConfigMaps: one kind rank, written side by side
            AtomicBoolean together = new AtomicBoolean(true);
            proxy.rule(request -> {
                CountDownLatch both = request.method().equals("GET") && request.path().startsWith("/api/v1/namespaces/team-a/") ? lists
                        : request.path().contains("dryRun=") ? dryRuns
                        : request.method().equals("PATCH") && request.path().startsWith("/api/v1/namespaces/team-a/configmaps/") ? writes : null;
                if (both != null) {
                    both.countDown();
                    try {
                        together.compareAndSet(true, both.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new Pass();
            });

            BindingResult result = run(config, "team-a").get(0);

            assertThat(result.error()).isNull();
            assertThat(result.correctedCount()).isEqualTo(2);
            assertThat(together).as("the ConfigMap and Service LISTs, then the two dry-runs, then the two writes were in flight at the same time")
                    .isTrue();
            assertThat(lists.getCount()).isZero();
            assertThat(dryRuns.getCount()).isZero();
            assertThat(writes.getCount()).isZero();
        }
    }

    private List<BindingResult> run(DriftwardenConfig config, String... bindings) {
        try (Clusters clusters = new Clusters()) {
            Reconciler reconciler = new Reconciler(config, new SourceReader(tmp.resolve("git-cache")), clusters, world.audit);
            String runId = "run-faults-" + System.nanoTime();
            List<BindingResult> results = java.util.Arrays.stream(bindings)
                    .map(binding -> reconciler.reconcile(config.binding(binding), new RunContext(runId, "manual"))).toList();
            lastRun = runId;
            return results;
        }
    }

    private static String status(int code, String reason, String escapedMessage) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + escapedMessage
                + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }

    private static String jsonEscape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
