package io.driftwarden.config;

import java.util.List;

/**
 * One unit of reconciliation: the manifests under {@code path} of a source, kept equal to what runs in
 * {@code namespace} of a cluster. {@code helm} says how a chart at {@code path} is rendered (the defaults when the
 * binding has no {@code helm:} key). {@code prune} deletes, in enforce mode, what the binding applied and Git no longer
 * holds, at most {@code maxPrune} objects a run (null: half the binding's inventory, at least 1). It may write only
 * into {@code allowNamespaces} (default: its own) and, of cluster-scoped kinds, only {@code allowClusterKinds} (default:
 * none but its own Namespace, and that only with driftwarden's labels). An existing cluster-scoped object that does not
 * carry this binding's label is overwritten only with {@code adopt}; a Namespace is pruned only with
 * {@code pruneNamespaces}, and only when nothing but this binding's objects is in it. {@code schedule} is when the daemon reconciles it (its own, else the config's default;
 * null: not scheduled). {@code controls} are the compliance controls the binding evidences (free-form ids such as
 * {@code SOC2-CC8.1}; reports group the measures by them). {@code origin} is where the binding is declared
 * ({@code file:line}). {@code health} is how the health of what it wrote is read after its writes (default: once,
 * the objects written).
 */
public record BindingSpec(
        String name,
        String source,
        String path,
        String cluster,
        String namespace,
        Mode mode,
        boolean createNamespace,
        Schedule schedule,
        List<IgnoreRule> ignore,
        DriftManagers driftManagers,
        HelmSettings helm,
        boolean prune,
        Integer maxPrune,
        List<String> allowNamespaces,
        List<String> allowClusterKinds,
        boolean adopt,
        boolean pruneNamespaces,
        List<String> controls,
        String origin,
        HealthSettings health) {

    /** A binding with the default {@link HealthSettings}. */
    public BindingSpec(String name, String source, String path, String cluster, String namespace, Mode mode, boolean createNamespace,
                       Schedule schedule, List<IgnoreRule> ignore, DriftManagers driftManagers, HelmSettings helm, boolean prune,
                       Integer maxPrune, List<String> allowNamespaces, List<String> allowClusterKinds, boolean adopt,
                       boolean pruneNamespaces, List<String> controls, String origin) {
        this(name, source, path, cluster, namespace, mode, createNamespace, schedule, ignore, driftManagers, helm, prune, maxPrune,
                allowNamespaces, allowClusterKinds, adopt, pruneNamespaces, controls, origin, HealthSettings.DEFAULTS);
    }

    /** A binding that evidences no control, with {@code health}. */
    public BindingSpec(String name, String source, String path, String cluster, String namespace, Mode mode, boolean createNamespace,
                       Schedule schedule, List<IgnoreRule> ignore, DriftManagers driftManagers, HelmSettings helm, boolean prune,
                       Integer maxPrune, List<String> allowNamespaces, List<String> allowClusterKinds, boolean adopt,
                       boolean pruneNamespaces, String origin, HealthSettings health) {
        this(name, source, path, cluster, namespace, mode, createNamespace, schedule, ignore, driftManagers, helm, prune, maxPrune,
                allowNamespaces, allowClusterKinds, adopt, pruneNamespaces, List.of(), origin, health);
    }

    public BindingSpec {
        health = health == null ? HealthSettings.DEFAULTS : health;
        ignore = List.copyOf(ignore);
        allowNamespaces = allowNamespaces != null && !allowNamespaces.isEmpty() ? List.copyOf(allowNamespaces)
                : namespace == null ? List.of() : List.of(namespace);
        allowClusterKinds = allowClusterKinds == null ? List.of() : List.copyOf(allowClusterKinds);
        controls = controls == null ? List.of() : List.copyOf(controls);
    }

    /** A binding that evidences no control. */
    public BindingSpec(String name, String source, String path, String cluster, String namespace, Mode mode, boolean createNamespace,
                       Schedule schedule, List<IgnoreRule> ignore, DriftManagers driftManagers, HelmSettings helm, boolean prune,
                       Integer maxPrune, List<String> allowNamespaces, List<String> allowClusterKinds, boolean adopt,
                       boolean pruneNamespaces, String origin) {
        this(name, source, path, cluster, namespace, mode, createNamespace, schedule, ignore, driftManagers, helm, prune, maxPrune,
                allowNamespaces, allowClusterKinds, adopt, pruneNamespaces, List.of(), origin);
    }

    /** The same binding in another mode (plan runs every binding in audit mode). */
    public BindingSpec withMode(Mode newMode) {
        return new BindingSpec(name, source, path, cluster, namespace, newMode, createNamespace, schedule, ignore, driftManagers,
                helm, prune, maxPrune, allowNamespaces, allowClusterKinds, adopt, pruneNamespaces, controls, origin, health);
    }

    /** The same binding with {@code wait} as its health wait ({@code run --wait}); null keeps its own. */
    public BindingSpec withHealthWait(java.time.Duration wait) {
        return new BindingSpec(name, source, path, cluster, namespace, mode, createNamespace, schedule, ignore, driftManagers,
                helm, prune, maxPrune, allowNamespaces, allowClusterKinds, adopt, pruneNamespaces, controls, origin, health.withWait(wait));
    }
}
