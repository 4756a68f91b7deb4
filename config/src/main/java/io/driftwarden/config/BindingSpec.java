package io.driftwarden.config;

import java.util.List;

/**
 * One unit of reconciliation: the manifests under {@code path} of a source, kept equal to what runs in
 * {@code namespace} of a cluster. {@code helm} says how a chart at {@code path} is rendered (the defaults when the
 * binding has no {@code helm:} key). {@code prune} deletes, in enforce mode, what the binding applied and Git no longer
 * holds, at most {@code maxPrune} objects a run (null: half the binding's inventory, at least 1). {@code origin} is
 * where the binding is declared ({@code file:line}).
 */
public record BindingSpec(
        String name,
        String source,
        String path,
        String cluster,
        String namespace,
        Mode mode,
        boolean createNamespace,
        String schedule,
        List<IgnoreRule> ignore,
        DriftManagers driftManagers,
        HelmSettings helm,
        boolean prune,
        Integer maxPrune,
        String origin) {

    public BindingSpec {
        ignore = List.copyOf(ignore);
    }

    /** The same binding in another mode (plan runs every binding in audit mode). */
    public BindingSpec withMode(Mode newMode) {
        return new BindingSpec(name, source, path, cluster, namespace, newMode, createNamespace, schedule, ignore, driftManagers,
                helm, prune, maxPrune, origin);
    }
}
