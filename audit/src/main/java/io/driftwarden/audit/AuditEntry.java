package io.driftwarden.audit;

/**
 * One row to append, before the log gives it a sequence number, a time and its place in the hash chain.
 * Object fields are null for rows about a whole binding (a binding that failed to render, say).
 * {@code maskedDiff} and {@code error} must already be free of Secret values.
 */
public record AuditEntry(
        String runId,
        String trigger,
        String binding,
        String sourceUrl,
        String commit,
        String cluster,
        String namespace,
        String group,
        String version,
        String kind,
        String name,
        EventType event,
        String driftType,
        String action,
        String changedPaths,
        String maskedDiff,
        String error) {

    /** {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped objects; empty for binding rows. */
    public String subject() {
        if (kind == null) {
            return "";
        }
        return namespace == null || namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }
}
