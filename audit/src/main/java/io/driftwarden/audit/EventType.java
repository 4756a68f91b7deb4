package io.driftwarden.audit;

/**
 * What an audit row records. {@code DETECTED}: drift found and left in place (audit mode). {@code INTENT}:
 * drift found and about to be corrected — committed before the write. {@code CORRECTED} / {@code FAILED}: the
 * outcome of that write, or {@code FAILED} for a binding that could not be reconciled at all. {@code UNMANAGED}: an
 * object in a managed namespace, of a managed kind, that no binding declares or labels (reported, never touched).
 */
public enum EventType {
    DETECTED,
    INTENT,
    CORRECTED,
    FAILED,
    UNMANAGED,
    /** A write the binding is not allowed to make (tenancy), refused before it was sent. */
    REFUSED
}
