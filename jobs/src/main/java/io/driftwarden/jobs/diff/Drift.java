package io.driftwarden.jobs.diff;

import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.List;

/**
 * The comparison of one desired object with the cluster: its type, the paths that differ
 * ({@code spec.template.spec.containers[name=web].image}), and a human-readable diff with Secret values masked.
 */
public record Drift(DesiredObject desired, DriftType type, List<String> paths, String maskedDiff) {

    public Drift {
        paths = List.copyOf(paths);
    }

    public ResourceKey key() {
        return desired.key();
    }

    public boolean drifted() {
        return type != DriftType.IN_SYNC;
    }
}
