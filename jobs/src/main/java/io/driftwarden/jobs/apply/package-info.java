/**
 * Correcting drift: server-side apply ({@code fieldManager: driftwarden}, force) of drifted and missing objects
 * only, Namespaces and CRDs first, then Helm's kind order. Every write is announced by an audit intent row that
 * is committed before the write and followed by its outcome row; in audit mode drift is recorded and left.
 */
package io.driftwarden.jobs.apply;
