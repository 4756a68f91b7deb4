package io.driftwarden.audit;

import java.time.Instant;

/** A stored audit row: the entry, its sequence number and time, and its link in the SHA-256 chain. */
public record AuditRecord(long seq, Instant time, AuditEntry entry, String prevHash, String hash) {

    /** {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped objects; empty for binding rows. */
    public String subject() {
        if (entry.kind() == null) {
            return "";
        }
        return entry.namespace() == null || entry.namespace().isEmpty()
                ? entry.kind() + "/" + entry.name()
                : entry.kind() + "/" + entry.namespace() + "/" + entry.name();
    }
}
