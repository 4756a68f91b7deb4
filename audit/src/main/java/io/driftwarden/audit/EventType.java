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
    /**
     * A write the binding is not allowed to make (tenancy), refused before it was sent; or, with no object, a commit
     * the source does not trust (unsigned, an unknown signer, a refused force-push): nothing of it was applied.
     */
    REFUSED,
    /** The commit enforced does not descend from the one enforced before: the branch was force-pushed. */
    FORCE_PUSH,
    /**
     * A sync window was closed for the binding: its drift was only detected; or it was closed and the run ignored it
     * ({@code run --ignore-windows}). The window and what happened are in {@code error}.
     */
    WINDOW,
    /**
     * Work the run did not do, with why in {@code error}: a binding another run holds the lease of (the holder is
     * named), or, after SIGTERM, a binding or an object the stopping run did not start.
     */
    SKIPPED,
    /**
     * A drift fully covered by an active, approved exception ({@code exception_name}): recorded once per run, not
     * corrected, and not counted as drift for the exit code.
     */
    EXCEPTED,
    /** An exception that matched a drift has expired; the drift is corrected or reported as usual. */
    EXPIRED,
    /** The health of an object after the run ({@code health_state}, {@code health_message}), kstatus's states. */
    HEALTH,
    /** A notification that could not be delivered: the target's name and HTTP status in {@code error}, never its URL. */
    NOTIFY_FAILED
}
