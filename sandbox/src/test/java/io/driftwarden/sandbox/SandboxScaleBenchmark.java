package io.driftwarden.sandbox;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test (no figures are asserted): what one GET, one LIST of a namespace of 200 objects and one server-side
 * apply cost in the sandbox as the store grows to 1k, 10k and 50k objects. Run it with
 * {@code mvn -q -pl sandbox -am test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.driftwarden.sandbox.SandboxScaleBenchmark}
 * or from an IDE; it prints a table (median milliseconds).
 */
public final class SandboxScaleBenchmark {

    private static final int PER_NAMESPACE = 200;

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1_000, 10_000, 50_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        try (Sandbox sandbox = Sandbox.start(0); KubernetesClient client = sandbox.client()) {
            System.out.printf("%-10s %10s %14s %10s%n", "objects", "GET (ms)", "LIST 200 (ms)", "apply (ms)");
            int stored = 0;
            ExecutorService pool = Executors.newFixedThreadPool(4);
            for (int size : sizes) {
                List<Future<?>> creates = new ArrayList<>();
                for (int i = stored; i < size; i++) {
                    int n = i;
                    if (n % PER_NAMESPACE == 0) {
                        sandbox.createNamespaces("ns-" + n / PER_NAMESPACE);
                    }
                    creates.add(pool.submit(() -> client.configMaps().inNamespace("ns-" + n / PER_NAMESPACE).resource(configMap(n, "v")).create()));
                    if (creates.size() == 400) {
                        for (Future<?> f : creates) {
                            f.get();
                        }
                        creates.clear();
                    }
                }
                for (Future<?> f : creates) {
                    f.get();
                }
                stored = size;
                sandbox.clearRequests();
                double get = median(50, () -> client.configMaps().inNamespace("ns-0").withName("cm-7").get());
                double list = median(20, () -> client.configMaps().inNamespace("ns-0").list());
                int[] round = {0};
                double apply = median(20, () -> client.configMaps().inNamespace("ns-0").resource(configMap(3, "v" + round[0]++))
                        .fieldManager("bench").forceConflicts().serverSideApply());
                System.out.printf("%-10d %10.2f %14.2f %10.2f%n", size, get, list, apply);
            }
            pool.shutdown();
        }
    }

    private static ConfigMap configMap(int n, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("cm-" + n).endMetadata().addToData("k", value).build();
    }

    private static double median(int times, Runnable request) {
        for (int i = 0; i < 5; i++) {
            request.run(); // warm-up
        }
        double[] millis = new double[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            request.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[times / 2];
    }
}
