package io.driftwarden.jobs.apply;

/** What was done to one object (flux's changeset vocabulary). */
public enum Action {
    CREATED,
    CONFIGURED,
    DELETED,
    UNCHANGED,
    SKIPPED,
    FAILED
}
