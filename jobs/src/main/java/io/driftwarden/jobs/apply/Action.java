package io.driftwarden.jobs.apply;

/** What was done to one object (flux's changeset vocabulary). */
public enum Action {
    CREATED,
    CONFIGURED,
    DELETED,
    /** Deleted and created again: a field the server will not change (annotation {@code driftwarden.io/replace}). */
    REPLACED,
    UNCHANGED,
    SKIPPED,
    /** Not written: the binding may not write this object (tenancy). */
    REFUSED,
    FAILED
}
