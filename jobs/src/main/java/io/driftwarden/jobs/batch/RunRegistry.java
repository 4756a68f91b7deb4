package io.driftwarden.jobs.batch;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.Reconciler;
import io.driftwarden.jobs.RunContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The runs in progress, by run id: what the partitions of a job execution reconcile, and what they found. */
final class RunRegistry {

    /** Per-binding progress lines; logback shows them only when stderr is a terminal (see the cron module's Main). */
    private static final org.slf4j.Logger PROGRESS = org.slf4j.LoggerFactory.getLogger("io.driftwarden.progress");

    private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();

    ActiveRun register(RunContext context, Reconciler reconciler, List<BindingSpec> bindings, BindingSlots slots) {
        ActiveRun run = new ActiveRun(context, reconciler, bindings, slots);
        if (runs.putIfAbsent(context.runId(), run) != null) {
            throw new IllegalStateException("run " + context.runId() + " is already in progress");
        }
        return run;
    }

    ActiveRun get(String runId) {
        ActiveRun run = runs.get(runId);
        if (run == null) {
            throw new IllegalStateException("no run " + runId + " in progress");
        }
        return run;
    }

    void remove(String runId) {
        ActiveRun run = runs.remove(runId);
        if (run != null) {
            run.slots.close();
        }
    }

    /** One run: its bindings, the reconciler they share, and their results as partitions finish. */
    static final class ActiveRun {
        private final RunContext context;
        private final Reconciler reconciler;
        private final Map<String, BindingSpec> bindings = new LinkedHashMap<>();
        private final List<BindingResult> results = Collections.synchronizedList(new ArrayList<>());
        private final BindingSlots slots;

        ActiveRun(RunContext context, Reconciler reconciler, List<BindingSpec> bindings, BindingSlots slots) {
            this.context = context;
            this.reconciler = reconciler;
            this.slots = slots;
            bindings.forEach(b -> this.bindings.put(b.name(), b));
        }

        /** Where the run's bindings wait for a slot. */
        BindingSlots slots() {
            return slots;
        }

        /** The cluster a binding of this run targets. */
        String clusterOf(String binding) {
            return bindings.get(binding).cluster();
        }

        /** The binding's place in the run (config order). */
        int orderOf(String binding) {
            return bindingNames().indexOf(binding);
        }

        List<String> bindingNames() {
            return List.copyOf(bindings.keySet());
        }

        BindingResult reconcile(String binding) {
            PROGRESS.info("binding {}: reconciling ({} of {})", binding, bindingNames().indexOf(binding) + 1, bindings.size());
            BindingResult result = reconciler.reconcile(bindings.get(binding), context);
            results.add(result);
            PROGRESS.info("binding {}: {} ({} drifted, {} corrected, {} failed; {} of {} done)", binding, result.error() == null ? "done" : "FAILED",
                    result.driftCount(), result.correctedCount(), result.failedCount(), results.size(), bindings.size());
            return result;
        }

        /** Results in binding order. */
        List<BindingResult> results() {
            List<String> order = bindingNames();
            synchronized (results) {
                return results.stream().sorted(Comparator.comparingInt(r -> order.indexOf(r.binding()))).toList();
            }
        }
    }
}
