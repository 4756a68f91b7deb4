package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/**
 * The health rule of one kind, applied after the generic checks ({@link GenericHealth}) reached no verdict. Each
 * implementation names the rule it follows.
 */
interface KindRule {

    /** The health of {@code object}, a live object of this rule's kind as a LIST returned it. */
    Health assess(JsonNode object);
}
