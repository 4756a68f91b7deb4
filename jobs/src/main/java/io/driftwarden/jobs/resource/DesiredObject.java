package io.driftwarden.jobs.resource;

import tools.jackson.databind.node.ObjectNode;

/** An object as Git declares it (after rendering), and the {@code file:line} it came from. */
public record DesiredObject(ResourceKey key, ObjectNode manifest, String origin) {

    /** Names the object and its origin only: a manifest may hold Secret values, and records print their fields. */
    @Override
    public String toString() {
        return key.subject() + " (" + origin + ")";
    }
}
