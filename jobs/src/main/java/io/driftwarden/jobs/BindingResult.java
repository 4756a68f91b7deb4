package io.driftwarden.jobs;

import io.driftwarden.jobs.chart.ResolvedChart;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.health.HealthReport;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.source.SourceRevision;
import java.util.List;

/**
 * How one binding came out of a run. {@code dryRuns} counts the server-side dry-runs asked to confirm drift (not
 * writes); {@code unmanaged} are objects in its namespaces no binding manages; {@code error} is set when the binding
 * could not be reconciled at all; {@code skipped} is set (and nothing else) when another run held its lease;
 * {@code expired} says, one line each, which expired exception matched a drift (that drift went on as usual);
 * {@code health} is what its objects' health was after its writes (a failure there fails the binding); {@code chart}
 * is the remote Helm chart rendered (null for a binding whose manifests are all in Git).
 * A drift an exception covers is in {@code drifts} with an {@link Action#EXCEPTED} change: it is not counted as drift.
 */
public record BindingResult(String binding, String cluster, String namespace, SourceRevision revision,
                            List<Drift> drifts, List<Change> changes, int dryRuns, List<ResourceKey> unmanaged, String error,
                            String skipped, List<String> expired, HealthReport health, ResolvedChart chart) {

    public BindingResult(String binding, String cluster, String namespace, SourceRevision revision, List<Drift> drifts,
                         List<Change> changes, int dryRuns, List<ResourceKey> unmanaged, String error, String skipped,
                         HealthReport health) {
        this(binding, cluster, namespace, revision, drifts, changes, dryRuns, unmanaged, error, skipped, List.of(), health, null);
    }

    public BindingResult(String binding, String cluster, String namespace, SourceRevision revision, List<Drift> drifts,
                         List<Change> changes, int dryRuns, List<ResourceKey> unmanaged, String error, String skipped,
                         List<String> expired) {
        this(binding, cluster, namespace, revision, drifts, changes, dryRuns, unmanaged, error, skipped, expired, HealthReport.NONE, null);
    }

    /** This result with the remote chart the binding rendered. */
    public BindingResult withChart(ResolvedChart resolved) {
        return new BindingResult(binding, cluster, namespace, revision, drifts, changes, dryRuns, unmanaged, error, skipped, expired,
                health, resolved);
    }

    public BindingResult(String binding, String cluster, String namespace, SourceRevision revision, List<Drift> drifts,
                         List<Change> changes, int dryRuns, List<ResourceKey> unmanaged, String error) {
        this(binding, cluster, namespace, revision, drifts, changes, dryRuns, unmanaged, error, null, List.of());
    }

    public BindingResult(String binding, String cluster, String namespace, SourceRevision revision, List<Drift> drifts,
                         List<Change> changes, int dryRuns, List<ResourceKey> unmanaged, String error, String skipped) {
        this(binding, cluster, namespace, revision, drifts, changes, dryRuns, unmanaged, error, skipped, List.of());
    }

    /** Not reconciled by this run because another run is reconciling it ({@code why} names the holder). */
    public static BindingResult skipped(String binding, String cluster, String namespace, String why) {
        return new BindingResult(binding, cluster, namespace, null, List.of(), List.of(), 0, List.of(), null, why);
    }

    public BindingResult {
        health = health == null ? HealthReport.NONE : health;
        drifts = List.copyOf(drifts);
        changes = List.copyOf(changes);
        unmanaged = List.copyOf(unmanaged);
        expired = expired == null ? List.of() : List.copyOf(expired);
    }

    private static final java.util.Set<Action> CORRECTIONS = java.util.EnumSet.of(Action.CREATED, Action.CONFIGURED,
            Action.REPLACED, Action.DELETED);

    /** The binding could not be reconciled, a correction failed or was refused, or what it wrote is not healthy. */
    public boolean failed() {
        return error != null || health.failure() != null
                || changes.stream().anyMatch(c -> c.action() == Action.FAILED || c.action() == Action.REFUSED);
    }

    /** Drift was found and left in place. */
    public boolean driftLeft() {
        return changes.stream().anyMatch(c -> c.action() == Action.SKIPPED);
    }

    /** Drifted objects, not counting those an exception covers. */
    public long driftCount() {
        return drifts.stream().filter(Drift::drifted).count() - exceptedCount();
    }

    /** Drifted objects left in place because an active exception covers every drifted path. */
    public long exceptedCount() {
        return changes.stream().filter(c -> c.action() == Action.EXCEPTED).count();
    }

    public long correctedCount() {
        return changes.stream().filter(c -> CORRECTIONS.contains(c.action())).count();
    }

    /** Objects whose health fails the binding (Failed, or InProgress when its wait ran out). */
    public long unhealthyCount() {
        return health.failing().size();
    }

    public long failedCount() {
        return changes.stream().filter(c -> c.action() == Action.FAILED || c.action() == Action.REFUSED).count() + (error == null ? 0 : 1);
    }
}
