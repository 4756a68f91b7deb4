/**
 * The model of what to reconcile — sources (Git), clusters, bindings of a source path to a cluster
 * namespace, and the audit store — read from {@code driftwarden.yaml} by {@link io.driftwarden.config.ConfigLoader}.
 * Loading validates everything before anything runs and reports every problem at once as {@code file:line}.
 */
package io.driftwarden.config;
