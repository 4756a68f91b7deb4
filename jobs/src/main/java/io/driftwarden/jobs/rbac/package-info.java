/**
 * The least-privilege RBAC a run needs ({@code driftwarden rbac}): from each binding's rendered objects, the
 * (API group, resource) pairs it lists, applies and deletes, per namespace and cluster-wide, with the verbs the
 * requests a run sends are authorized as. Printing them as Kubernetes objects is the CLI's.
 */
package io.driftwarden.jobs.rbac;
