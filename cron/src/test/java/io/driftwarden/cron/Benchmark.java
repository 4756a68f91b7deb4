package io.driftwarden.cron;

import io.driftwarden.sandbox.Sandbox;
import io.driftwarden.sandbox.SandboxRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import tools.jackson.databind.JsonNode;

/**
 * Not a test: the published benchmark (README, "Performance"). Run {@code ./benchmark}. Workload W: NAMESPACES
 * namespaces of 201 objects of 5 kinds (ConfigMap, Secret, Service, ServiceAccount, Deployment), one binding each,
 * enforced by driftwarden's real CLI — the {@code ./driftwarden} launcher as a user runs it, so JVM start and the launcher's
 * JVM options count — against the sandbox in this process, which counts
 * every request. Scenarios: cold, no drift, 1% and 10% hand drift; then with 2 ms per request (an in-cluster round
 * trip) no drift and 1% drift, against the per-object baseline — GET each object, merge-PATCH it when it differs,
 * what {@code kubectl apply} does per object — run in this JVM (so without a JVM start of its own). By default it then
 * adds cold creation against the baseline process, the daemon's warm steady run, and W×10 over 4 sandboxes beside W,
 * and prints every ratio it measured together; each of those is also a mode of its own ({@code cold}, {@code daemon},
 * {@code scale}), beside {@code quick}, {@code serve}, {@code corrections} and {@code smoke} (README, "Performance").
 */
public final class Benchmark {

    private static final String[] KINDS = {"ConfigMap", "Secret", "Service", "ServiceAccount", "Deployment"};
    private static final int[] PER_KIND = {81, 40, 40, 39, 1};

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(args.length > 0 ? args[0] : "driftwarden").toAbsolutePath();
        List<Integer> sizes = args.length > 1 ? Arrays.stream(args[1].split(",")).map(Integer::parseInt).toList() : List.of(50);
        jvmOptions = args.length > 2 && !args[2].isBlank() ? args[2].trim() : "";
        quick = args.length > 3 && args[3].equals("quick");
        serve = args.length > 3 && args[3].equals("serve");
        corrections = args.length > 3 && args[3].equals("corrections");
        smoke = args.length > 3 && args[3].equals("smoke");
        scale = args.length > 3 && args[3].equals("scale");
        daemon = args.length > 3 && args[3].equals("daemon");
        coldCreation = args.length > 3 && args[3].equals("cold");
        boolean everything = args.length <= 3 || args[3].isBlank();
        // the launcher extracts the jar and makes its class-data archive on first use: not part of any measured run
        Process prepare = new ProcessBuilder(launcher.toString(), "--version").inheritIO().start();
        if (prepare.waitFor() != 0) {
            throw new IllegalStateException(launcher + " --version exited " + prepare.exitValue());
        }
        boolean archive = Files.exists(launcher.resolveSibling("cron/target/app/driftwarden.jsa"));
        System.out.printf("driftwarden benchmark: %d cores, Java %s, %s (class-data archive: %s) %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), launcher, archive ? "yes" : "no", jvmOptions);
        header();
        for (int namespaces : sizes) {
            if (scale) {
                scale(launcher, namespaces);
            } else {
                new Benchmark(launcher, namespaces, everything && namespaces <= 50).run();
            }
        }
        if (everything) { // the default: W's table, then W×10 over 4 clusters beside W once more, then every ratio together
            scale(launcher, sizes.get(0));
        }
        ratiosTable();
        if (smoke && !PROBLEMS.isEmpty()) {
            PROBLEMS.forEach(System.err::println);
            System.exit(1);
        }
    }

    /**
     * The smoke mode, small enough for a test: {@code namespaces} of W's namespaces, cold, no drift and 1% drift (at
     * least one object) through the launcher, and the per-object baseline as a process of its own at no drift and 1%
     * drift. Returns the requests each scenario sent, by verb ({@code LIST}, {@code GET}, {@code DRYRUN}, {@code WRITE});
     * as a command it exits 1 unless they are at the floor. Times are printed, never checked.
     */
    static Map<String, Map<String, Integer>> smoke(Path launcher, int namespaces) throws Exception {
        smoke = true;
        PROBLEMS.clear();
        SCENARIOS.clear();
        RATIOS.clear();
        new Benchmark(launcher, namespaces, false).run();
        return Map.copyOf(SCENARIOS);
    }

    /** Smoke mode: each scenario's requests by verb. */
    private static final Map<String, Map<String, Integer>> SCENARIOS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Smoke mode only: requests and writes, no timing judged. */
    private static boolean smoke;
    private static final List<String> PROBLEMS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** More options for driftwarden's JVM, after the launcher's own (DRIFTWARDEN_JAVA_OPTS). */
    private static String jvmOptions = "";
    /** Only cold and no drift, for trying JVM options. */
    private static boolean quick;
    /** Only cold, then the sandbox stays up until Enter, for profiling runs by hand. */
    private static boolean serve;
    /**
     * Cold, then no drift and 1% drift with {@code maxInFlight: 1} (one write at a time, as before issue 24) and with the
     * default 4 (a kind rank's writes side by side), round by round in the same sandbox, and the ratio of what the
     * drift adds.
     */
    private static boolean corrections;
    /**
     * W×10 over 4 clusters: {@code NAMESPACES × 10} namespaces (100,500 objects for W's 50) in as many bindings, a
     * quarter on each of 4 sandboxes in this process, one config naming the 4 clusters — cold, then no drift and 1% drift
     * round by round beside steady W (its own sandbox and store), and the ratio W×10 steady / W steady.
     */
    private static boolean scale;
    /**
     * Cold, then driftwarden's daemon ({@code driftwarden schedule}) as a process against the same sandbox, each run
     * started by a signed push to its generic webhook: its first run (a cold JVM), two warm-ups, then three rounds of a
     * one-shot steady run beside a daemon steady run, and the ratio daemon / one-shot.
     */
    private static boolean daemon;
    /** Cold into a fresh sandbox, then the per-object baseline process creating W into another fresh one, and the ratio. */
    private static boolean coldCreation;
    /** The cluster's {@code maxInFlight} in the config the next run reads. */
    private int maxInFlight = 4;

    /** Every ratio measured in this run, printed together at the end: what, driftwarden's figure over the other's, target. */
    private static final List<Ratio> RATIOS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Path launcher;
    private final int namespaces;
    private final boolean full;
    private final Path dir;
    /** Sandboxes (clusters) the bindings are spread over, binding {@code n} on sandbox {@code n % clusters}. */
    private final int clusters;
    /** The requests each sandbox answered in the last run of driftwarden, by verb. */
    private List<Map<String, Integer>> lastPerSandbox = List.of();

    private Benchmark(Path launcher, int namespaces, boolean full) throws Exception {
        this(launcher, namespaces, full, 1);
    }

    private Benchmark(Path launcher, int namespaces, boolean full, int clusters) throws Exception {
        this.launcher = launcher;
        this.namespaces = namespaces;
        this.full = full && !quick;
        this.clusters = clusters;
        this.dir = Files.createTempDirectory("driftwarden-bench-");
    }

    private void run() throws Exception {
        int objects = namespaces * 201;
        try (Sandbox sandbox = Sandbox.start(0); KubernetesClient client = sandbox.client()) {
            writeRepository();
            writeConfig(sandbox);
            for (int i = 0; i < namespaces; i++) {
                sandbox.createNamespaces("ns-" + i);
            }
            String w = objects + " obj";
            Run cold = driftwarden(sandbox);
            row(w + " cold", List.of(cold));
            if (serve) {
                System.out.printf("serving: driftwarden run --config %s (Enter stops)%n", dir.resolve("driftwarden.yaml"));
                System.in.read();
                return;
            }
            if (corrections) {
                compareCorrections(sandbox, client, w, objects / 100);
                return;
            }
            if (smoke) {
                smokeRuns(sandbox, client, w, objects, cold);
                return;
            }
            if (coldCreation || full) {
                coldCreation(w, cold);
            }
            if (coldCreation) {
                return;
            }
            if (daemon) {
                daemonRuns(sandbox, client, w);
                return;
            }
            List<Run> oneShotSteady = measured(sandbox, client, 0);
            row(w + " no drift", oneShotSteady);
            if (!full) {
                return;
            }
            List<Run> oneShotDrift = measured(sandbox, client, objects / 100);
            row(w + " 1% drift", oneShotDrift);
            row(w + " 10% drift", measured(sandbox, client, objects / 10));
            // a real API server is a round trip away: 2 ms per request, for driftwarden and the per-object loop alike
            sandbox.latency(Duration.ofMillis(2));
            List<Run> steady = measured(sandbox, client, 0);
            List<Run> drifted = measured(sandbox, client, objects / 100);
            row(w + " no drift, 2 ms/req", steady);
            row(w + " 1% drift, 2 ms/req", drifted);
            List<Run> baseline0 = new ArrayList<>();
            List<Run> baseline1 = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                baseline0.add(baseline(sandbox, client, 0));
            }
            for (int i = 0; i < 3; i++) {
                baseline1.add(baseline(sandbox, client, objects / 100));
            }
            row(w + " baseline no drift, 2 ms/req", baseline0);
            row(w + " baseline 1% drift, 2 ms/req", baseline1);
            System.out.printf("%s: driftwarden is %.1fx the per-object loop at no drift and %.1fx at 1%% drift (median wall, 2 ms/req)%n", w,
                    median(baseline0) / median(steady), median(baseline1) / median(drifted));
            sandbox.latency(Duration.ZERO);
            ratios(sandbox, client, w, objects / 100, "", median(oneShotSteady), median(oneShotDrift));
            sandbox.latency(Duration.ofMillis(2));
            ratios(sandbox, client, w, objects / 100, ", 2 ms/req", median(steady), median(drifted));
            sandbox.latency(Duration.ZERO);
            daemonRuns(sandbox, client, w);
        }
    }

    /**
     * One write at a time against a kind rank's writes side by side, alternating in the same sandbox so that the load
     * of the machine falls on both alike: a warm-up each, then three rounds of (no drift, 1% drift) each.
     */
    private void compareCorrections(Sandbox sandbox, KubernetesClient client, String w, int drifted) throws Exception {
        Map<Integer, List<Run>> steady = new java.util.TreeMap<>();
        Map<Integer, List<Run>> drift = new java.util.TreeMap<>();
        for (int bound : new int[] {1, 4}) {
            useMaxInFlight(sandbox, bound);
            drift(client, drifted, "warm-up-" + bound);
            driftwarden(sandbox);
        }
        for (int round = 0; round < 3; round++) {
            for (int bound : new int[] {1, 4}) {
                useMaxInFlight(sandbox, bound);
                steady.computeIfAbsent(bound, b -> new ArrayList<>()).add(driftwarden(sandbox));
                drift(client, drifted, "round-" + round + "-" + bound);
                drift.computeIfAbsent(bound, b -> new ArrayList<>()).add(driftwarden(sandbox));
            }
        }
        for (int bound : steady.keySet()) {
            row(w + " no drift, maxInFlight " + bound, steady.get(bound));
            row(w + " 1% drift, maxInFlight " + bound, drift.get(bound));
        }
        double oneAtATime = median(drift.get(1)) - median(steady.get(1));
        double sideBySide = median(drift.get(4)) - median(steady.get(4));
        System.out.printf("%s: 1%% drift adds %.0f ms one write at a time, %.0f ms side by side (%.2fx); 1%% drift / no drift: %.2f and %.2f%n",
                w, oneAtATime, sideBySide, sideBySide / oneAtATime, median(drift.get(1)) / median(steady.get(1)),
                median(drift.get(4)) / median(steady.get(4)));
        ratios(sandbox, client, w, drifted, "", median(steady.get(4)), median(drift.get(4)));
        // a real API server is a round trip away: 2 ms per request, for driftwarden and the loop alike (one round each)
        sandbox.latency(Duration.ofMillis(2));
        Map<Integer, Run> slowSteady = new java.util.TreeMap<>();
        Map<Integer, Run> slowDrift = new java.util.TreeMap<>();
        for (int bound : new int[] {1, 4}) {
            useMaxInFlight(sandbox, bound);
            slowSteady.put(bound, driftwarden(sandbox));
            drift(client, drifted, "slow-" + bound);
            slowDrift.put(bound, driftwarden(sandbox));
            row(w + " no drift, 2 ms/req, maxInFl " + bound, List.of(slowSteady.get(bound)));
            row(w + " 1% drift, 2 ms/req, maxInFl " + bound, List.of(slowDrift.get(bound)));
        }
        ratios(sandbox, client, w, drifted, ", 2 ms/req", slowSteady.get(4).wallMillis(), slowDrift.get(4).wallMillis());
    }

    /** The per-object loop as a process, no drift and 1% drift once each, and driftwarden's wall time over its. */
    private void ratios(Sandbox sandbox, KubernetesClient client, String w, int drifted, String latency, double steady, double drift)
            throws Exception {
        Run baseline0 = processBaseline(sandbox, client, 0);
        Run baseline1 = processBaseline(sandbox, client, drifted);
        row(w + " baseline process, no drift" + latency, List.of(baseline0));
        row(w + " baseline process, 1% drift" + latency, List.of(baseline1));
        System.out.printf("%s%s: driftwarden / baseline process (wall): no drift %.2f, 1%% drift %.2f%n", w, latency,
                steady / baseline0.wallMillis(), drift / baseline1.wallMillis());
        double target = latency.isEmpty() ? 0.5 : 0.1;
        RATIOS.add(new Ratio(w + " no drift / baseline process" + latency, steady / baseline0.wallMillis(), target));
        RATIOS.add(new Ratio(w + " 1% drift / baseline process" + latency, drift / baseline1.wallMillis(), target));
        RATIOS.add(new Ratio(w + " (1% drift - no drift) / no drift" + latency, (drift - steady) / steady, 0.25));
    }

    /**
     * Cold creation: {@code cold} (driftwarden's first run, into a fresh sandbox) against the per-object baseline process
     * creating W object by object (a GET, then a POST each: one keep-alive connection) into another fresh sandbox.
     */
    private void coldCreation(String w, Run cold) throws Exception {
        try (Sandbox fresh = Sandbox.start(0); KubernetesClient client = fresh.client()) {
            for (int n = 0; n < namespaces; n++) {
                fresh.createNamespaces("ns-" + n);
            }
            Run baseline = processBaseline(fresh, client, 0);
            row(w + " baseline process, cold", List.of(baseline));
            if (smoke) {
                expect("baseline cold", baseline, Map.of("GET", namespaces * 201, "WRITE", namespaces * 201));
            }
            System.out.printf("%s: cold creation, driftwarden / baseline process (wall, one run each): %.2f%n", w,
                    (double) cold.wallMillis() / baseline.wallMillis());
            RATIOS.add(new Ratio(w + " cold / baseline process creating it", (double) cold.wallMillis() / baseline.wallMillis(), 0.5));
        }
    }

    /**
     * The daemon's warm steady run: {@code driftwarden schedule} as a process (the launcher, so the daemon's JVM options)
     * against {@code sandbox}, with its own audit store, each run started by a signed push to {@code /hooks/generic}
     * that names every binding's repository; a run of W is done when the daemon has logged the end of all its bindings'
     * runs (it runs each binding as a run of its own, four at once), timed from here from the push. Its first run (a
     * cold JVM), two warm-ups, then three rounds of a one-shot steady run and a daemon steady run, and the ratio of the
     * medians.
     */
    private void daemonRuns(Sandbox sandbox, KubernetesClient client, String w) throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = writeConfig(List.of(sandbox), "driftwarden-daemon.yaml", "daemon-audit",
                "webhook: {hmacSecretFrom: \"env:DRIFTWARDEN_BENCH_HOOK\"}\n");
        Path log = dir.resolve("daemon.log");
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "schedule", "--config", config.toString(), "--port",
                String.valueOf(port), "--address", "127.0.0.1").redirectErrorStream(true).redirectOutput(log.toFile());
        // DRIFTWARDEN_BENCH_DAEMON_OPTS: JVM options for the daemon alone (say a JFR recording, to profile its warm runs)
        builder.environment().put("DRIFTWARDEN_JAVA_OPTS", ("-Duser.home=" + dir.resolve("daemon-home") + " " + jvmOptions + " "
                + System.getenv().getOrDefault("DRIFTWARDEN_BENCH_DAEMON_OPTS", "")).trim());
        builder.environment().put("DRIFTWARDEN_BENCH_HOOK", "benchmark-secret");
        Process process = builder.start();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        try {
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the daemon exited");
                    }
                    return ready(http, base);
                });
            } catch (org.awaitility.core.ConditionTimeoutException | IllegalStateException e) {
                throw new IllegalStateException("the daemon did not become ready: " + Files.readString(log), e);
            }
            row(w + " daemon first run (cold JVM)", List.of(push(http, base, sandbox, log)));
            for (int warmUp = 0; warmUp < (smoke ? 0 : 2); warmUp++) {
                push(http, base, sandbox, log);
            }
            List<Run> oneShot = new ArrayList<>();
            List<Run> warm = new ArrayList<>();
            for (int round = 0; round < (smoke ? 1 : 3); round++) {
                oneShot.add(driftwarden(sandbox));
                warm.add(push(http, base, sandbox, log));
            }
            row(w + " no drift, one-shot", oneShot);
            row(w + " no drift, daemon (warm JVM)", warm);
            String status = Files.readString(Path.of("/proc/" + process.pid() + "/status"));
            String peak = status.lines().filter(line -> line.startsWith("VmHWM:")).findFirst().orElse("VmHWM: ? kB");
            System.out.printf("%s: daemon warm steady / one-shot steady (median wall): %.2f; the daemon's peak RSS %s MB%n", w,
                    median(warm) / median(oneShot), peak.replaceAll("\\D", "").isEmpty() ? "?" : Long.parseLong(peak.replaceAll("\\D", "")) / 1024);
            RATIOS.add(new Ratio(w + " daemon warm steady / one-shot steady", median(warm) / median(oneShot), 0.2));
            if (smoke) {
                expect("daemon no drift", warm.get(warm.size() - 1), Map.of("LIST", namespaces * KINDS.length));
            }
        } finally {
            process.destroy(); // SIGTERM: the daemon lets running bindings finish
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static boolean ready(java.net.http.HttpClient http, String base) {
        try {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/readyz")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * One daemon run of every binding: a signed push naming the repository, then waiting until the daemon has logged
     * the end of one run per binding more; wall time from the push to the last of them seen.
     */
    private Run push(java.net.http.HttpClient http, String base, Sandbox sandbox, Path log) throws Exception {
        sandbox.clearRequests();
        long before = finishedDaemonRuns(log);
        byte[] body = Serialization.asJson(Map.of("url", dir.resolve("repo").toUri().toString(), "ref", "main"))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("benchmark-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        long start = System.nanoTime();
        var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/hooks/generic"))
                .header("X-Driftwarden-Signature-256", "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body)))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("the push was answered " + answer.statusCode() + ": " + answer.body());
        }
        try {
            // polled every 10 ms: the poll interval is part of the wall time measured
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> finishedDaemonRuns(log) >= before + namespaces);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("the daemon did not finish the pushed runs: " + Files.readString(log), e);
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        List<String> failed;
        try (var lines = Files.lines(log)) {
            failed = lines.filter(line -> line.contains(" (webhook) binding ") && line.contains(": exit ") && !line.contains(": exit 0, ")).toList();
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("daemon runs did not end well: " + String.join("\n", failed));
        }
        return new Run(wall, -1, -1, verbs(sandbox.requests()), 0);
    }

    /** Runs the daemon has logged as finished (one line per binding run: {@code run ID (webhook) binding NAME: exit …}). */
    private static long finishedDaemonRuns(Path log) throws Exception {
        try (var lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(" (webhook) binding ") && line.contains(": exit ")).count();
        }
    }

    /**
     * W×10 over 4 clusters beside W: both built and run cold, a warm-up each, then three rounds of (W steady, W×10 steady,
     * W×10 1% drift), each in its own sandboxes and audit store; the requests each of the 4 sandboxes answered; the
     * ratios W×10 steady / W steady and what 1% drift adds; the launcher process's CPU and max RSS.
     */
    static void scale(Path launcher, int namespaces) throws Exception {
        Benchmark w = new Benchmark(launcher, namespaces, false, 1);
        Benchmark big = new Benchmark(launcher, namespaces * 10, false, 4);
        try (Opened small = w.open(); Opened large = big.open()) {
            String wName = namespaces * 201 + " obj";
            String bigName = namespaces * 10 * 201 + " obj, 4 clusters";
            row(wName + " cold", List.of(w.driftwarden(small.sandboxes())));
            Run bigCold = big.driftwarden(large.sandboxes());
            row(bigName + " cold", List.of(bigCold));
            big.perSandbox("cold");
            w.driftwarden(small.sandboxes());
            big.driftwarden(large.sandboxes());
            List<Run> wSteady = new ArrayList<>();
            List<Run> bigSteady = new ArrayList<>();
            List<Run> bigDrift = new ArrayList<>();
            int drifted = namespaces * 10 * 201 / 100;
            for (int round = 0; round < 3; round++) {
                wSteady.add(w.driftwarden(small.sandboxes()));
                bigSteady.add(big.driftwarden(large.sandboxes()));
                if (round == 2) {
                    big.perSandbox("no drift");
                }
                big.drift(large.clients(), drifted, "round-" + round);
                bigDrift.add(big.driftwarden(large.sandboxes()));
            }
            big.perSandbox("1% drift");
            row(wName + " no drift", wSteady);
            row(bigName + " no drift", bigSteady);
            row(bigName + " 1% drift", bigDrift);
            long rss = java.util.stream.Stream.of(List.of(bigCold), bigSteady, bigDrift).flatMap(List::stream).mapToLong(Run::rssMb).max().orElse(-1);
            System.out.printf("%s: W×10 steady / W steady (median wall) %.2f; 1%% drift adds %.2f of steady; max RSS %d MB (cold %d MB)%n",
                    bigName, median(bigSteady) / median(wSteady), (median(bigDrift) - median(bigSteady)) / median(bigSteady), rss, bigCold.rssMb());
            RATIOS.add(new Ratio(bigName + " steady / W steady", median(bigSteady) / median(wSteady), 12));
            RATIOS.add(new Ratio(bigName + " (1% drift - no drift) / no drift", (median(bigDrift) - median(bigSteady)) / median(bigSteady), 0.25));
            RATIOS.add(new Ratio(bigName + " max RSS (GB) / 1 GB", rss / 1024.0, 1));
        }
    }

    /** Prints the requests each sandbox answered in the last run, by verb, and whether the LISTs are at the floor. */
    private void perSandbox(String scenario) {
        for (int c = 0; c < lastPerSandbox.size(); c++) {
            int cluster = c;
            int bindings = (int) java.util.stream.IntStream.range(0, namespaces).filter(n -> n % clusters == cluster).count();
            int floor = bindings * KINDS.length;
            System.out.printf("  %-10s sandbox-%d: %s (LIST floor: %d bindings x %d kinds = %d)%n", scenario, c, lastPerSandbox.get(c), bindings,
                    KINDS.length, floor);
        }
    }

    /** The sandboxes of a workload, up and holding its namespaces, and a client of each. */
    private record Opened(List<Sandbox> sandboxes, List<KubernetesClient> clients) implements AutoCloseable {
        @Override
        public void close() {
            clients.forEach(KubernetesClient::close);
            sandboxes.forEach(Sandbox::close);
        }
    }

    /** Starts this workload's sandboxes, writes its repository and config, and makes each binding's namespace. */
    private Opened open() throws Exception {
        List<Sandbox> sandboxes = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            sandboxes.add(Sandbox.start(0));
        }
        writeRepository();
        writeConfig(sandboxes, "driftwarden.yaml", "audit", "");
        for (int n = 0; n < namespaces; n++) {
            sandboxes.get(n % clusters).createNamespaces("ns-" + n);
        }
        return new Opened(sandboxes, sandboxes.stream().map(Sandbox::client).toList());
    }

    /** A ratio of this run: driftwarden's figure over the other's, and the target (met when at most it). */
    private record Ratio(String what, double value, double target) {
    }

    private static void ratiosTable() {
        if (RATIOS.isEmpty()) {
            return;
        }
        System.out.printf("%nratios measured side by side in this run (load: %s)%n", load());
        System.out.printf("%-62s %7s %7s  %s%n", "ratio", "value", "target", "");
        for (Ratio r : RATIOS) {
            System.out.printf("%-62s %7.2f %7s  %s%n", r.what(), r.value(), "<= " + (r.target() == Math.rint(r.target())
                    ? String.valueOf((long) r.target()) : String.valueOf(r.target())), r.value() <= r.target() ? "met" : "NOT met");
        }
    }

    /** The load averages, as {@code uptime} shows them. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** The smoke mode's runs after the cold one (which {@link #run} made): see {@link #smoke}. */
    private void smokeRuns(Sandbox sandbox, KubernetesClient client, String w, int objects, Run cold) throws Exception {
        int drifted = Math.max(1, objects / 100);
        int lists = namespaces * KINDS.length;
        // cold, the health step LISTs again the kinds whose new objects it waits on (two per namespace of W)
        expect("cold", cold, Map.of("LIST", lists + 2 * namespaces, "WRITE", objects));
        Run steady = driftwarden(sandbox);
        drift(client, drifted, "smoke");
        Run drift = driftwarden(sandbox);
        Run baseline0 = processBaseline(sandbox, client, 0);
        Run baseline1 = processBaseline(sandbox, client, drifted);
        row(w + " no drift", List.of(steady));
        row(w + " 1% drift", List.of(drift));
        row(w + " baseline process, no drift", List.of(baseline0));
        row(w + " baseline process, 1% drift", List.of(baseline1));
        expect("no drift", steady, Map.of("LIST", lists));
        expect("1% drift", drift, Map.of("LIST", lists, "DRYRUN", drifted, "WRITE", drifted));
        expect("baseline no drift", baseline0, Map.of("GET", objects));
        expect("baseline 1% drift", baseline1, Map.of("GET", objects, "WRITE", drifted));
        coldCreation(w, cold);
        daemonRuns(sandbox, client, w);
        System.out.printf("%s: driftwarden / baseline process (wall, one run each, not judged): no drift %.2f, 1%% drift %.2f%n", w,
                (double) steady.wallMillis() / baseline0.wallMillis(), (double) drift.wallMillis() / baseline1.wallMillis());
    }

    /** Records a problem unless {@code run} sent exactly {@code verbs} (every other verb: none). */
    private static void expect(String scenario, Run run, Map<String, Integer> verbs) {
        SCENARIOS.put(scenario, run.verbs());
        if (!run.verbs().equals(new TreeMap<>(verbs))) {
            PROBLEMS.add(scenario + ": requests " + run.verbs() + ", expected " + new TreeMap<>(verbs));
        }
    }

    /**
     * The per-object loop as a process of its own ({@link BaselineLoop}: its JVM start counts, as a script's interpreter
     * start would), after {@code drifted} hand edits; wall time measured from here.
     */
    private Run processBaseline(Sandbox sandbox, KubernetesClient client, int drifted) throws Exception {
        Path objects = dir.resolve("objects.jsonl");
        if (!Files.exists(objects)) {
            StringBuilder lines = new StringBuilder();
            for (int n = 0; n < namespaces; n++) {
                for (JsonNode desired : manifests(n)) {
                    String apiVersion = desired.path("apiVersion").asString();
                    String collection = (apiVersion.contains("/") ? "/apis/" : "/api/") + apiVersion + "/namespaces/ns-" + n + "/"
                            + desired.path("kind").asString().toLowerCase(java.util.Locale.ROOT) + "s";
                    lines.append(Serialization.asJson(Map.of("path", collection, "object", desired))).append('\n');
                }
            }
            Files.writeString(objects, lines);
        }
        drift(client, drifted, "baseline-" + System.nanoTime());
        sandbox.clearRequests();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), BaselineLoop.class.getName(),
                sandbox.url(), objects.toString()).redirectOutput(dir.resolve("baseline.out").toFile()).redirectError(dir.resolve("baseline.err").toFile());
        long start = System.nanoTime();
        int exit = builder.start().waitFor();
        long wall = (System.nanoTime() - start) / 1_000_000;
        if (exit != 0) {
            throw new IllegalStateException("the baseline loop exited " + exit + ": " + Files.readString(dir.resolve("baseline.err")));
        }
        return new Run(wall, -1, -1, verbs(sandbox.requests()), 0);
    }

    private void useMaxInFlight(Sandbox sandbox, int bound) throws Exception {
        maxInFlight = bound;
        writeConfig(sandbox);
    }

    /** A warm-up run, then three measured ones, each after {@code drifted} hand edits. */
    private List<Run> measured(Sandbox sandbox, KubernetesClient client, int drifted) throws Exception {
        drift(client, drifted, "warm-up");
        driftwarden(sandbox);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            drift(client, drifted, "round-" + i);
            runs.add(driftwarden(sandbox));
        }
        return runs;
    }

    /** Edits {@code count} ConfigMaps by hand, spread over the namespaces. */
    private void drift(KubernetesClient client, int count, String value) {
        drift(List.of(client), count, value);
    }

    /** Edits {@code count} ConfigMaps by hand, spread over the namespaces, each through its cluster's client. */
    private void drift(List<KubernetesClient> clients, int count, String value) {
        for (int i = 0; i < count; i++) {
            String namespace = "ns-" + (i % namespaces);
            String name = "configmap-" + (i / namespaces);
            clients.get(i % namespaces % clients.size()).configMaps().inNamespace(namespace).withName(name).edit(cm -> {
                cm.getData().put("k", "hand-" + value);
                return cm;
            });
        }
    }

    private Run driftwarden(Sandbox sandbox) throws Exception {
        return driftwarden(List.of(sandbox));
    }

    /** One {@code driftwarden run} through the launcher; the requests of every sandbox together (and each one's kept). */
    private Run driftwarden(List<Sandbox> sandboxes) throws Exception {
        sandboxes.forEach(Sandbox::clearRequests);
        long rowsBefore = auditRows();
        List<String> command = new ArrayList<>();
        boolean time = Files.isExecutable(Path.of("/usr/bin/time"));
        if (time) {
            command.addAll(List.of("/usr/bin/time", "-f", "%U %S %M", "-o", dir.resolve("time").toString()));
        }
        command.addAll(List.of(launcher.toString(), "run", "--config", dir.resolve("driftwarden.yaml").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        builder.environment().put("DRIFTWARDEN_JAVA_OPTS", ("-Duser.home=" + dir.resolve("home") + " " + jvmOptions).trim());
        long start = System.nanoTime();
        Process process = builder.start();
        int exit = process.waitFor();
        long wall = (System.nanoTime() - start) / 1_000_000;
        if (exit != 0) {
            throw new IllegalStateException("driftwarden exited " + exit + ": " + Files.readString(dir.resolve("err")));
        }
        double cpu = -1;
        long rss = -1;
        if (time) {
            String[] figures = Files.readString(dir.resolve("time")).trim().split("\\s+");
            cpu = Double.parseDouble(figures[0]) + Double.parseDouble(figures[1]);
            rss = Long.parseLong(figures[2]) / 1024;
        }
        lastPerSandbox = sandboxes.stream().map(sandbox -> verbs(sandbox.requests())).toList();
        Map<String, Integer> all = new TreeMap<>();
        lastPerSandbox.forEach(verbs -> verbs.forEach((verb, count) -> all.merge(verb, count, Integer::sum)));
        return new Run(wall, cpu, rss, all, auditRows() - rowsBefore);
    }

    /** The per-object loop, in this process: GET each object, merge-PATCH it when Git's fields differ. */
    private Run baseline(Sandbox sandbox, KubernetesClient client, int drifted) throws Exception {
        drift(client, drifted, "baseline-" + System.nanoTime());
        sandbox.clearRequests();
        long start = System.nanoTime();
        for (int n = 0; n < namespaces; n++) {
            for (JsonNode desired : manifests(n)) {
                var resources = client.genericKubernetesResources(desired.path("apiVersion").asString(), desired.path("kind").asString())
                        .inNamespace("ns-" + n);
                GenericKubernetesResource live = resources.withName(desired.at("/metadata/name").asString()).get();
                JsonNode current = live == null ? null : Serialization.jsonMapper().valueToTree(live);
                if (current == null || !contains(current, desired)) {
                    resources.withName(desired.at("/metadata/name").asString()).patch(PatchContext.of(PatchType.JSON_MERGE),
                            Serialization.asJson(desired));
                }
            }
        }
        return new Run((System.nanoTime() - start) / 1_000_000, -1, -1, verbs(sandbox.requests()), 0);
    }

    /** Whether {@code live} holds every field {@code desired} sets, with its value (lists item by item, of the same length). */
    static boolean contains(JsonNode live, JsonNode desired) {
        if (desired.isObject()) {
            for (Map.Entry<String, JsonNode> field : desired.properties()) {
                if (!live.has(field.getKey()) || !contains(live.get(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) { // a list Git sets, item by item: the server's defaults inside an item are not a difference
            if (!live.isArray() || live.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!contains(live.get(i), desired.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return desired.equals(live);
    }

    private void writeRepository() throws Exception {
        Path repo = dir.resolve("repo");
        for (int n = 0; n < namespaces; n++) {
            Path folder = Files.createDirectories(repo.resolve("ns-" + n));
            StringBuilder all = new StringBuilder();
            for (JsonNode manifest : manifests(n)) {
                all.append("---\n").append(Serialization.asJson(manifest)).append('\n');
            }
            Files.writeString(folder.resolve("objects.yaml"), all);
        }
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("workload").setAuthor("b", "b@example.com").setCommitter("b", "b@example.com").setSign(false).call();
        }
    }

    private List<JsonNode> manifests(int namespace) {
        List<JsonNode> manifests = new ArrayList<>();
        for (int k = 0; k < KINDS.length; k++) {
            for (int i = 0; i < PER_KIND[k]; i++) {
                String name = KINDS[k].toLowerCase() + "-" + i;
                String json = switch (KINDS[k]) {
                    case "ConfigMap" -> "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\"},\"data\":{\"k\":\"v\"}}";
                    case "Secret" -> "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"%s\"},\"type\":\"Opaque\",\"data\":{\"k\":\"dg==\"}}";
                    case "Service" -> "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"selector\":{\"app\":\"web\"},"
                            + "\"ports\":[{\"port\":80,\"targetPort\":8080,\"protocol\":\"TCP\"}]}}";
                    case "ServiceAccount" -> "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"%s\"}}";
                    default -> "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"replicas\":1,"
                            + "\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
                            + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\"}]}}}}";
                };
                manifests.add(Serialization.jsonMapper().readTree(json.formatted(name)));
            }
        }
        return manifests;
    }

    private void writeConfig(Sandbox sandbox) throws Exception {
        writeConfig(List.of(sandbox), "driftwarden.yaml", "audit", "");
    }

    /**
     * Writes config {@code file}: audit store {@code audit}, one cluster per sandbox ({@code sandbox}, or
     * {@code sandbox-0}… when there are several), binding {@code ns-n} on cluster {@code n % sandboxes}, and {@code more}
     * top-level YAML.
     */
    private Path writeConfig(List<Sandbox> sandboxes, String file, String audit, String more) throws Exception {
        StringBuilder clusterList = new StringBuilder();
        for (int c = 0; c < sandboxes.size(); c++) {
            Path kubeconfig = dir.resolve(sandboxes.size() == 1 ? "kubeconfig" : "kubeconfig-" + c);
            sandboxes.get(c).writeKubeconfig(kubeconfig);
            clusterList.append(c == 0 ? "" : ", ").append("{name: %s, kubeconfig: \"%s\", maxInFlight: %d}"
                    .formatted(clusterName(sandboxes.size(), c), kubeconfig, maxInFlight));
        }
        StringBuilder config = new StringBuilder("""
                audit: {url: "jdbc:h2:file:%s"}
                sources: [{name: repo, url: "%s"}]
                clusters: [%s]
                """.formatted(dir.resolve(audit), dir.resolve("repo").toUri(), clusterList)).append(more).append("bindings:\n");
        for (int n = 0; n < namespaces; n++) {
            config.append("  - {name: ns-%1$d, source: repo, path: ns-%1$d, cluster: %2$s, namespace: ns-%1$d, mode: enforce}\n"
                    .formatted(n, clusterName(sandboxes.size(), n % sandboxes.size())));
        }
        return Files.writeString(dir.resolve(file), config);
    }

    private static String clusterName(int clusters, int cluster) {
        return clusters == 1 ? "sandbox" : "sandbox-" + cluster;
    }

    private long auditRows() throws Exception {
        if (!Files.exists(dir.resolve("audit.mv.db"))) {
            return 0;
        }
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("audit"), "sa", "");
             ResultSet rows = db.createStatement().executeQuery("SELECT COUNT(*) FROM audit_event")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Map<String, Integer> verbs(List<SandboxRequest> requests) {
        Map<String, Integer> verbs = new TreeMap<>();
        for (SandboxRequest r : requests) {
            String verb = r.isList() ? "LIST" : r.path().contains("dryRun=") ? "DRYRUN" : r.method().equals("GET") ? "GET" : "WRITE";
            verbs.merge(verb, 1, Integer::sum);
        }
        return verbs;
    }

    /** One run's figures. */
    private record Run(long wallMillis, double cpuSeconds, long rssMb, Map<String, Integer> verbs, long auditRows) {
    }

    private static double median(List<Run> runs) {
        long[] walls = runs.stream().mapToLong(Run::wallMillis).sorted().toArray();
        return walls[walls.length / 2];
    }

    private static void header() {
        System.out.printf("%-34s %9s %9s %7s %7s %6s %6s %7s %7s %7s%n", "scenario", "wall med", "wall min", "CPU s", "RSS MB", "LIST", "GET",
                "dry-run", "writes", "audit");
    }

    private static void row(String scenario, List<Run> runs) {
        long[] walls = runs.stream().mapToLong(Run::wallMillis).sorted().toArray();
        Run last = runs.get(runs.size() - 1);
        System.out.printf("%-34s %8.1fs %8.1fs %7s %7s %6d %6d %7d %7d %7d%n", scenario, walls[walls.length / 2] / 1000.0, walls[0] / 1000.0,
                last.cpuSeconds() < 0 ? "-" : String.format("%.1f", last.cpuSeconds()), last.rssMb() < 0 ? "-" : String.valueOf(last.rssMb()),
                last.verbs().getOrDefault("LIST", 0), last.verbs().getOrDefault("GET", 0), last.verbs().getOrDefault("DRYRUN", 0),
                last.verbs().getOrDefault("WRITE", 0), last.auditRows());
    }
}
