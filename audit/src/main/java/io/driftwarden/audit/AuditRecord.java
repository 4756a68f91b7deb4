package io.driftwarden.audit;

import java.time.Instant;

/** A stored audit row: the entry, its sequence number and time, and its link in the SHA-256 chain. */
public record AuditRecord(long seq, Instant time, AuditEntry entry, String prevHash, String hash) {

    /** The entry's object, see {@link AuditEntry#subject()}. */
    public String subject() {
        return entry.subject();
    }
}
