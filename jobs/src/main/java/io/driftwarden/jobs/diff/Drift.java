package io.driftwarden.jobs.diff;

import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.List;

/**
 * The comparison of one desired object with the cluster: its type, each path that drifted and why, the per-path
 * summary ({@code ~ spec.replicas: 3 -> 5 (differs from Git)}) and a unified diff of the object (live → Git), both
 * with Secret values masked.
 */
public record Drift(DesiredObject desired, DriftType type, List<DriftPath> details, String maskedDiff, String unifiedDiff) {

    public Drift {
        details = List.copyOf(details);
    }

    public ResourceKey key() {
        return desired.key();
    }

    public boolean drifted() {
        return type != DriftType.IN_SYNC;
    }

    /** The drifted paths as text ({@code spec.template.spec.containers[name=web].image}). */
    public List<String> paths() {
        return details.stream().map(d -> d.path().render()).toList();
    }

    /** Paths present live and absent from Git (hand-added or left Git), which only a removal corrects. */
    public List<DriftPath> liveOnly() {
        return details.stream().filter(DriftPath::liveOnly).toList();
    }

    /** Whether every drifted path is one Git sets (rule 1): a server-side dry-run can confirm such a drift. */
    public boolean onlyDiffersFromGit() {
        return type == DriftType.MODIFIED && details.stream().noneMatch(DriftPath::liveOnly);
    }

    /**
     * This comparison without the desired object's manifest (its key, origin, paths and diffs stay): what a run keeps of
     * a binding once the binding is done, so that a run of many bindings does not hold every manifest it read until it
     * ends (W×10: 100,000 of them). Nothing reads a finished binding's manifests.
     */
    public Drift withoutManifest() {
        return desired.manifest() == null ? this
                : new Drift(new DesiredObject(desired.key(), null, desired.origin()), type, details, maskedDiff, unifiedDiff);
    }

    /** The same comparison found to be no drift after all (a dry-run showed the server would store what it has). */
    public Drift inSync() {
        return new Drift(desired, DriftType.IN_SYNC, List.of(), "", "");
    }
}
