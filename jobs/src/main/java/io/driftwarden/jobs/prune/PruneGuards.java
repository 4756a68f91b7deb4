package io.driftwarden.jobs.prune;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.Mode;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which objects that left Git may be deleted. Never when pruning is off or the run only audits; never when rendering
 * produced no objects; never an object annotated {@code driftwarden.io/prune: disabled}; never one another binding's
 * label claims; and never more than {@code maxPrune} in one run (default half the binding's inventory, at least 1) —
 * then the binding fails instead and nothing is written.
 */
public final class PruneGuards {

    /** The annotation that keeps an object from ever being pruned. */
    public static final String PRUNE_ANNOTATION = "driftwarden.io/prune";

    /** More objects left Git than the binding may delete in one run: the binding fails, nothing is written. */
    public static final class TooManyToPrune extends RuntimeException {
        TooManyToPrune(String message) {
            super(message);
        }
    }

    private PruneGuards() {
    }

    /**
     * Why each extra is kept (absent: it is deleted). Throws {@link TooManyToPrune} when more would be deleted than
     * the binding allows.
     */
    public static Map<ResourceKey, String> kept(BindingSpec binding, int desiredCount, int inventorySize, List<Drift> extras) {
        Map<ResourceKey, String> kept = new LinkedHashMap<>();
        int deletable = 0;
        for (Drift extra : extras) {
            String reason = reason(binding, desiredCount, extra);
            if (reason == null) {
                deletable++;
            } else {
                kept.put(extra.key(), reason);
            }
        }
        int max = binding.maxPrune() != null ? binding.maxPrune() : Math.max(1, inventorySize / 2);
        if (deletable > max) {
            throw new TooManyToPrune(deletable + " objects left Git, more than this binding may prune in one run (maxPrune "
                    + max + (binding.maxPrune() == null ? ": half its inventory of " + inventorySize : "") + "); nothing was "
                    + "written. If Git is right (not a wrong path or ref), raise maxPrune for one run");
        }
        return kept;
    }

    /** The binding whose label the object carries ({@code ""} when none). */
    static String claimedBy(Drift extra) {
        return extra.desired().manifest().path("metadata").path("labels").path(Renderer.BINDING_LABEL).asString("");
    }

    private static String reason(BindingSpec binding, int desiredCount, Drift extra) {
        if (binding.mode() != Mode.ENFORCE) {
            return "drift left in place (audit mode)";
        }
        if (!binding.prune()) {
            return "no longer in Git; left in place (prune is off for this binding)";
        }
        if (desiredCount == 0) {
            return "not pruned: rendering produced no objects";
        }
        if ("disabled".equals(extra.desired().manifest().path("metadata").path("annotations").path(PRUNE_ANNOTATION).asString(""))) {
            return "not pruned: annotated " + PRUNE_ANNOTATION + ": disabled";
        }
        String claimedBy = claimedBy(extra);
        if (!claimedBy.isEmpty() && !claimedBy.equals(binding.name())) {
            return "not pruned: binding " + claimedBy + " claims it";
        }
        return null;
    }
}
