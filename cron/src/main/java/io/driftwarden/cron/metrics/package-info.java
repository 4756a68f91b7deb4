/** Prometheus series of the runs (Micrometer), for the daemon's {@code /metrics} and a one-shot run's textfile. */
package io.driftwarden.cron.metrics;
