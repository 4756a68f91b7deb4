/**
 * The sandbox: an in-process Kubernetes API server for tests, {@code driftwarden demo} and
 * {@code driftwarden sandbox}. It is fabric8's mock server in CRUD mode, extended for the verbs driftwarden uses —
 * server-side apply as create-or-merge (dropping fields a manager stopped applying) and merge patch where
 * {@code null} deletes — and it logs every request so tests can count LISTs and writes.
 *
 * <p>What it cannot prove: no defaults, admission, controllers or status; {@code managedFields} are never set;
 * server-side apply replaces lists whole and knows no conflicts, {@code dryRun} or field validation; creating in a
 * missing namespace succeeds.
 */
package io.driftwarden.jobs.sandbox;
