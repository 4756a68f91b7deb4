package io.driftwarden.jobs.apply;

import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Gives each intent a stopped run left open its true outcome, judged from what the cluster holds now: a create,
 * configure or replace whose object is in sync reached the cluster ({@code CORRECTED}); one still drifted did not
 * ({@code FAILED}; this run corrects it again under its own rows); a delete whose object is gone reached it. So no
 * correction is without its outcome, and none is recorded twice.
 */
public final class Recovery {

    private Recovery() {
    }

    /** Records an outcome for each of {@code unfinished}; {@code drifts} and {@code live} are this run's findings. */
    public static int resolve(List<AuditRecord> unfinished, Map<ResourceKey, Drift> drifts, Map<ResourceKey, JsonNode> live,
                              BindingAudit audit) {
        for (AuditRecord intent : unfinished) {
            var e = intent.entry();
            ResourceKey key = new ResourceKey(e.group() == null ? "" : e.group(), e.version(), e.kind(),
                    e.namespace() == null ? "" : e.namespace(), e.name());
            boolean reached;
            if (Action.DELETED.name().equals(e.action())) {
                reached = !live.containsKey(key);
            } else {
                Drift now = drifts.get(key);
                reached = live.containsKey(key) && (now == null || !now.drifted());
            }
            audit.recovered(intent, reached ? EventType.CORRECTED : EventType.FAILED, reached
                    ? "run " + e.runId() + " stopped before recording this outcome; the cluster holds what it wrote"
                    : "run " + e.runId() + " stopped before recording this outcome; the write did not take effect");
        }
        return unfinished.size();
    }
}
