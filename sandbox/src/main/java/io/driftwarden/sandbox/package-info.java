/**
 * The sandbox: an in-process Kubernetes API server for tests, {@code driftwarden demo} and
 * {@code driftwarden sandbox}. It is fabric8's mock server in CRUD mode, made to write and answer as an API server
 * does where driftwarden and kubectl depend on it: {@code managedFields} on every write ({@link FieldManagers}),
 * server-side apply by the schema, merge, JSON and strategic merge patch, {@code dryRun}, field validation, the
 * {@code scale} subresource ({@link Scales}), discovery ({@link Discovery}) and OpenAPI v3 ({@link OpenApi}) built
 * from Kubernetes' Go types, protobuf request bodies ({@link ProtobufBodies}), namespaces that must exist; the status
 * the controllers of workloads, Jobs, claims and load balancers would write, after a configurable delay
 * ({@link StatusControllers}); and it logs every request so tests can count LISTs and writes.
 *
 * <p>What it cannot prove: no defaults beyond list keys, no admission, no real controllers (no Pods, no ReplicaSets
 * made for a Deployment: only the status they would lead to), no server-side printing; how a real API server answers
 * is only proven against one.
 */
package io.driftwarden.sandbox;
