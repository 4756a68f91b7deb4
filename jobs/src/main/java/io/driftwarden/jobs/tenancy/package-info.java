/**
 * What a binding may write (like Argo CD's AppProject): namespaces, cluster-scoped kinds, kinds denied to all, and
 * objects another binding owns. Decides only; the applier refuses, before anything is sent.
 */
package io.driftwarden.jobs.tenancy;
