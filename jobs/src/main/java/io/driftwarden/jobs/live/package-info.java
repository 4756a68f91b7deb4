/**
 * Live state from clusters with the fabric8 client: one LIST per (apiVersion, kind, namespace) — never a GET
 * per object — and one client per cluster per run, with a bound on requests in flight.
 */
package io.driftwarden.jobs.live;
