/**
 * Small concurrency helpers of a run: values made once per key and shared by its bindings (clients, fetched
 * commits), and waiting for work done on other threads with its failure thrown as it was raised.
 */
package io.driftwarden.jobs.concurrent;
