/**
 * Live state from clusters with the fabric8 client: one LIST per (apiVersion, kind, namespace) — never a GET
 * per object — one client per cluster per run, and one request policy per cluster (requests in flight, timeouts,
 * bounded retries honouring Retry-After, and the cut-off for a cluster that stopped answering).
 */
package io.driftwarden.jobs.live;
