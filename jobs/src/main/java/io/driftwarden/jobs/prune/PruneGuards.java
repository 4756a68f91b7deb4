package io.driftwarden.jobs.prune;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.Mode;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Which objects that left Git may be deleted. Never when pruning is off or the run only audits; never when rendering
 * produced no objects (the Namespace {@code createNamespace} adds does not count); never an object annotated
 * {@code driftwarden.io/prune: disabled}; never one another binding's label claims; never what the tenancy gate
 * refuses (recorded there); never a Namespace unless the binding says {@code pruneNamespaces: true}, and then only one that holds nothing but this
 * binding's objects; and never more than {@code maxPrune} in one run (default half the binding's inventory, at least 1)
 * — then the binding fails instead and nothing is written.
 */
public final class PruneGuards {

    /** The annotation that keeps an object from ever being pruned. */
    public static final String PRUNE_ANNOTATION = "driftwarden.io/prune";
    private static final int NAMED = 3;

    /** More objects left Git than the binding may delete in one run: the binding fails, nothing is written. */
    public static final class TooManyToPrune extends RuntimeException {
        TooManyToPrune(String message) {
            super(message);
        }
    }

    private PruneGuards() {
    }

    /**
     * Why each extra is kept (absent: it is deleted, or refused by the tenancy gate when in {@code refused}). {@code rendered}
     * counts the objects Git declares; {@code contentsOf} reads what a Namespace holds (asked only for a Namespace that
     * would otherwise be deleted). Throws {@link TooManyToPrune} when more would be deleted than the binding allows.
     */
    public static Map<ResourceKey, String> kept(BindingSpec binding, int rendered, int inventorySize, List<Drift> extras,
                                                Set<ResourceKey> refused, Function<String, Map<ResourceKey, JsonNode>> contentsOf) {
        Map<ResourceKey, String> kept = new LinkedHashMap<>();
        int deletable = 0;
        for (Drift extra : extras) {
            String reason = beforeTenancy(binding, rendered, extra);
            if (reason == null && refused.contains(extra.key())) {
                continue; // the tenancy gate refuses this delete and records why
            }
            if (reason == null) {
                reason = namespaceGuard(binding, extra, contentsOf);
            }
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

    private static String beforeTenancy(BindingSpec binding, int rendered, Drift extra) {
        if (binding.mode() != Mode.ENFORCE) {
            return "drift left in place (audit mode)";
        }
        if (!binding.prune()) {
            return "no longer in Git; left in place (prune is off for this binding)";
        }
        if (rendered == 0) {
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

    private static String namespaceGuard(BindingSpec binding, Drift extra, Function<String, Map<ResourceKey, JsonNode>> contentsOf) {
        ResourceKey key = extra.key();
        if (key.kind().equals("Namespace") && key.group().isEmpty()) {
            if (!binding.pruneNamespaces()) {
                return "not pruned: a Namespace is deleted with everything in it, so only with pruneNamespaces: true on the binding";
            }
            List<String> others = others(binding, contentsOf.apply(key.name()));
            if (!others.isEmpty()) {
                return "not pruned: Namespace " + key.name() + " holds " + others.size() + " object(s) that are not binding "
                        + binding.name() + "'s (" + String.join(", ", others.subList(0, Math.min(NAMED, others.size())))
                        + (others.size() > NAMED ? ", …" : "") + ")";
            }
        }
        return null;
    }

    /**
     * What in a Namespace is not the binding's: objects without its label, leaving out what every namespace has (see
     * {@link Unmanaged}), what a controller owns (an {@code ownerReference}: its owner is counted) and Events.
     */
    static List<String> others(BindingSpec binding, Map<ResourceKey, JsonNode> contents) {
        return contents.entrySet().stream()
                .filter(e -> !binding.name().equals(e.getValue().path("metadata").path("labels").path(Renderer.BINDING_LABEL).asString("")))
                .filter(e -> e.getValue().path("metadata").path("ownerReferences").isEmpty())
                .filter(e -> !Unmanaged.everyNamespaceHas(e.getKey()) && !e.getKey().kind().equals("Event"))
                .map(e -> e.getKey().subject())
                .sorted()
                .toList();
    }
}
