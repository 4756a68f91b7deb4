package io.driftwarden.jobs.resource;

import tools.jackson.databind.node.ObjectNode;

/**
 * An object as Git declares it (after rendering), and the {@code file:line} it came from. In a finished binding's
 * result the manifest is gone ({@code null}, {@link io.driftwarden.jobs.diff.Drift#withoutManifest}): only the key and
 * origin are kept until the run ends.
 */
public record DesiredObject(ResourceKey key, ObjectNode manifest, String origin) {

    /** Names the object and its origin only: a manifest may hold Secret values, and records print their fields. */
    @Override
    public String toString() {
        return key.subject() + " (" + origin + ")";
    }
}
