package io.driftwarden.jobs.batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which bindings of one run are reconciled at once: at most {@code parallel} in all, at most each cluster's own bound
 * ({@code clusters[].maxInFlight}) on one cluster, and clusters side by side, so that a slow or dead cluster holds only
 * its own share and never the slots the others need. The rule is {@link #next}; a freed slot goes to the next binding
 * it names. Bindings wait in config order within their cluster. One instance per run; {@link #close} it at the end.
 */
final class BindingSlots implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final int parallel;
    private final Map<String, Integer> bounds;
    private final List<String> clusters;
    private final Map<String, PriorityQueue<Waiting>> waiting = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "binding-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    /**
     * {@code bounds}: each cluster's bound on its bindings at once, in config order (the order ties are broken in).
     */
    BindingSlots(int parallel, Map<String, Integer> bounds) {
        this.parallel = parallel;
        this.bounds = new LinkedHashMap<>(bounds);
        this.clusters = List.copyOf(bounds.keySet());
        clusters.forEach(c -> {
            waiting.put(c, new PriorityQueue<>());
            running.put(c, 0);
        });
    }

    /** Bindings at once in all. */
    int parallel() {
        return parallel;
    }

    /** A binding's work, waiting for a slot on its cluster; {@code order} is the binding's place in the run. */
    private record Waiting(int order, String cluster, Runnable work) implements Comparable<Waiting> {
        @Override
        public int compareTo(Waiting other) {
            return Integer.compare(order, other.order);
        }
    }

    /** Queues {@code work} for binding number {@code order} on {@code cluster}; it starts as soon as {@link #next} names it. */
    synchronized void submit(String cluster, int order, Runnable work) {
        if (!waiting.containsKey(cluster)) {
            throw new IllegalArgumentException("no cluster " + cluster + " in this run");
        }
        waiting.get(cluster).add(new Waiting(order, cluster, work));
        dispatch();
    }

    private synchronized void dispatch() {
        for (String cluster = next(clusters, counts(), running, bounds, parallel); cluster != null;
                cluster = next(clusters, counts(), running, bounds, parallel)) {
            Waiting next = waiting.get(cluster).poll();
            running.merge(cluster, 1, Integer::sum);
            threads.execute(() -> {
                try {
                    next.work().run();
                } finally {
                    finished(next.cluster());
                }
            });
        }
    }

    private synchronized void finished(String cluster) {
        running.merge(cluster, -1, Integer::sum);
        dispatch();
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new HashMap<>();
        waiting.forEach((cluster, queue) -> counts.put(cluster, queue.size()));
        return counts;
    }

    /**
     * The cluster whose next waiting binding starts now, or null when none may. The rule, a pure function:
     * <ol>
     * <li>nothing starts while {@code parallel} bindings run;</li>
     * <li>a cluster runs at most its bound, and at most {@code parallel − (clusters with work − 1)} (never less than
     * one): while other clusters have bindings waiting or running, one slot is left for each of them, so a cluster whose
     * bindings never finish cannot take every slot;</li>
     * <li>of the clusters that may start one, the one with the fewest running starts next; ties go in config order.</li>
     * </ol>
     */
    static String next(List<String> clusters, Map<String, Integer> waiting, Map<String, Integer> running, Map<String, Integer> bounds,
                       int parallel) {
        int total = 0;
        int withWork = 0;
        for (String cluster : clusters) {
            int now = running.getOrDefault(cluster, 0);
            total += now;
            if (now > 0 || waiting.getOrDefault(cluster, 0) > 0) {
                withWork++;
            }
        }
        if (total >= parallel) {
            return null;
        }
        int share = Math.max(1, parallel - (withWork - 1));
        String best = null;
        int fewest = Integer.MAX_VALUE;
        for (String cluster : clusters) {
            int now = running.getOrDefault(cluster, 0);
            int cap = Math.min(bounds.getOrDefault(cluster, 1), share);
            if (waiting.getOrDefault(cluster, 0) > 0 && now < cap && now < fewest) {
                best = cluster;
                fewest = now;
            }
        }
        return best;
    }

    /** Bindings waiting and running now, by cluster (for tests and progress lines). */
    synchronized Map<String, List<Integer>> state() {
        Map<String, List<Integer>> state = new LinkedHashMap<>();
        clusters.forEach(c -> state.put(c, new ArrayList<>(List.of(waiting.get(c).size(), running.get(c)))));
        return state;
    }

    /** Ends the run's idle threads (a binding still running finishes first). */
    @Override
    public void close() {
        threads.shutdown();
    }

    /** A partition's task, tagged with the slots of its run, its cluster and its place in the run. */
    static final class BindingTask<T> extends FutureTask<T> {
        final BindingSlots slots;
        final String cluster;
        final int order;

        BindingTask(BindingSlots slots, String cluster, int order, java.util.concurrent.Callable<T> work) {
            super(work);
            this.slots = slots;
            this.cluster = cluster;
            this.order = order;
        }
    }
}
