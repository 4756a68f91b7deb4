/**
 * The audit trail: an append-only, SHA-256 hash-chained table of every drift found and every correction made,
 * in an H2 file or PostgreSQL, with its schema kept by Flyway. {@link io.driftwarden.audit.AuditLog#append}
 * commits each row in its own transaction, so an intent row is durable before the cluster write it announces.
 * {@link io.driftwarden.audit.Checkpoints} keeps the proof outside the database: Ed25519-signed checkpoints of the
 * chain's head and anchor, chained by digest in a file, against which the store is checked.
 */
package io.driftwarden.audit;
