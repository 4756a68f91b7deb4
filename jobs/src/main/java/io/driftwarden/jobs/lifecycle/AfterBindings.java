package io.driftwarden.jobs.lifecycle;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.config.DriftwardenConfig;

/**
 * What a run does once all its bindings have finished and before it is recorded as ended — where notifications are
 * sent (the cron module hands in the notify module's {@code Notifier}), so their {@code NOTIFY_FAILED} rows belong to
 * the run and its checkpoint. It must be bounded and must not throw; whatever it does leaves the exit code alone.
 * {@code stopped}: the run was asked to stop (SIGTERM) — the pod's grace period is running, so wait for nothing.
 */
@FunctionalInterface
public interface AfterBindings {

    void finished(DriftwardenConfig config, String runId, AuditLog audit, boolean stopped);

    /** Nothing after the bindings. */
    static AfterBindings none() {
        return (config, runId, audit, stopped) -> {
        };
    }
}
