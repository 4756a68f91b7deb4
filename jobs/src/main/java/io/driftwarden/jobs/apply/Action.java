package io.driftwarden.jobs.apply;

/** What was done to one object (flux's changeset vocabulary). */
public enum Action {
    CREATED,
    CONFIGURED,
    DELETED,
    /** Deleted and created again: a field the server will not change (annotation {@code driftwarden.io/replace}). */
    REPLACED,
    UNCHANGED,
    /** Not corrected: an approved, unexpired exception covers every drifted path (an {@code EXCEPTED} row). */
    EXCEPTED,
    SKIPPED,
    /** Not written: the binding may not write this object (tenancy). */
    REFUSED,
    FAILED
}
