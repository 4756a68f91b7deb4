package io.driftwarden.jobs.apply;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.resource.ResourceKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one binding's audit rows. An {@code INTENT} and every outcome are committed before the call returns (the
 * intent before its write reaches the cluster); rows that guard no write — {@code DETECTED}, {@code UNMANAGED} — are
 * gathered and committed together in one transaction, before the next committed row and at {@link #flush}, so the
 * order of the trail is the order of the calls.
 */
public final class BindingAudit {

    private final AuditLog log;
    private final List<AuditEntry> pending = new ArrayList<>();
    private final String runId;
    private final String trigger;
    private final String binding;
    private final String cluster;
    private volatile String sourceUrl;
    private volatile String commit;
    private volatile String chart;
    private volatile String chartDigest;

    public BindingAudit(AuditLog log, String runId, String trigger, String binding, String cluster, String sourceUrl) {
        this.log = log;
        this.runId = runId;
        this.trigger = trigger;
        this.binding = binding;
        this.cluster = cluster;
        this.sourceUrl = sourceUrl;
    }

    /** Once the source is resolved, its rows name the commit. */
    public void atCommit(String url, String sha) {
        this.sourceUrl = url;
        this.commit = sha;
    }

    /**
     * Once a remote chart is resolved, every row of the binding from then on names it: its reference (repository, chart,
     * version) and verified digest ({@link AuditEntry.Details#withChart}).
     */
    public void withChart(String reference, String digest) {
        this.chart = reference;
        this.chartDigest = digest;
    }

    /** Drift found and left in place. */
    public void detected(Drift drift) {
        append(drift.key(), EventType.DETECTED, drift, Action.SKIPPED, null);
    }

    /** Drift found and left in place for a reason worth keeping (a prune guard). */
    public void detected(Drift drift, String reason) {
        append(drift.key(), EventType.DETECTED, drift, Action.SKIPPED, reason);
    }

    /**
     * Drift an approved exception covers, left in place: one {@code EXCEPTED} row (action {@code SKIPPED}) naming the
     * exception, gathered like {@code DETECTED} (it guards no write).
     */
    public void excepted(Drift drift, String exception, String note) {
        append(drift.key(), EventType.EXCEPTED, drift, Action.SKIPPED, note, exception);
    }

    /** An expired exception that would have covered this drift: one {@code EXPIRED} row naming it; the drift goes on. */
    public void expired(Drift drift, String exception, String note) {
        append(drift.key(), EventType.EXPIRED, drift, null, note, exception);
    }

    /** A write refused by tenancy, with why. */
    public void refused(Drift drift, String reason) {
        append(drift.key(), EventType.REFUSED, drift, Action.REFUSED, reason);
    }

    /** An object in a managed namespace that no binding manages (reported, never touched). */
    public synchronized void unmanaged(ResourceKey key) {
        pending.add(row(new AuditEntry(runId, trigger, binding, sourceUrl, commit, cluster, key.namespace(), key.group(),
                key.version(), key.kind(), key.name(), EventType.UNMANAGED, null, null, null, null, null)));
    }

    /**
     * The health of an object after the binding's writes: a {@code HEALTH} row with kstatus's state name and the
     * reason and message ({@code details.health_state}, {@code details.health_message}); gathered like {@code DETECTED}.
     */
    public synchronized void health(ResourceKey key, String state, String message) {
        pending.add(row(new AuditEntry(runId, trigger, binding, sourceUrl, commit, cluster, key.namespace(), key.group(),
                key.version(), key.kind(), key.name(), EventType.HEALTH, null, null, null, null, null)
                .withDetails(AuditEntry.Details.NONE.withHealth(state, message))));
    }

    /** Drift about to be corrected; when this returns the intent is durable. */
    public void intent(Drift drift, Action action) {
        append(drift.key(), EventType.INTENT, drift, action, null);
    }

    /**
     * The intents of one kind rank, {@code actions.get(i)} for {@code drifts.get(i)}, committed together in one
     * transaction; when this returns every one is durable, and none of their writes has been sent yet.
     */
    public synchronized void intents(List<Drift> drifts, List<Action> actions) {
        flush();
        List<AuditEntry> entries = new ArrayList<>(drifts.size());
        for (int i = 0; i < drifts.size(); i++) {
            entries.add(entry(drifts.get(i).key(), EventType.INTENT, drifts.get(i), actions.get(i), null, null));
        }
        log.appendAll(entries);
    }

    public void corrected(Drift drift, Action action) {
        append(drift.key(), EventType.CORRECTED, drift, action, null);
    }

    public void failed(Drift drift, Action action, String error) {
        append(drift.key(), EventType.FAILED, drift, action, error);
    }

    /**
     * The outcome of an intent a stopped run left open, as this run found it: recorded under that run's id (so the
     * intent has its outcome) with a note saying which run recorded it and how it was judged.
     */
    public synchronized void recovered(AuditRecord intent, EventType outcome, String note) {
        flush();
        AuditEntry e = intent.entry();
        log.append(new AuditEntry(e.runId(), e.trigger(), e.binding(), e.sourceUrl(), e.commit(), e.cluster(), e.namespace(),
                e.group(), e.version(), e.kind(), e.name(), outcome, e.driftType(), e.action(), e.changedPaths(), e.maskedDiff(),
                "recorded by run " + runId + ": " + note));
    }

    /** An object this run did not start (it was asked to stop), with the reason. */
    public void skipped(Drift drift, Action action, String reason) {
        append(drift.key(), EventType.SKIPPED, drift, action, reason);
    }

    /** The binding as a whole was not reconciled by this run (another run holds it; the run was stopped), with why. */
    public synchronized void bindingSkipped(String namespace, String reason) {
        flush();
        log.append(row(new AuditEntry(runId, trigger, binding, sourceUrl, commit, cluster, namespace, null, null, null, null,
                EventType.SKIPPED, null, Action.SKIPPED.name(), null, null, reason)));
    }

    /** The binding as a whole could not be reconciled (source, render, or live read failed). */
    public synchronized void bindingFailed(String namespace, String error) {
        flush();
        log.append(row(new AuditEntry(runId, trigger, binding, sourceUrl, commit, cluster, namespace, null, null, null, null,
                EventType.FAILED, null, Action.FAILED.name(), null, null, error)));
    }

    /** The binding's commit is not trusted (signature, force-push): one REFUSED row with the commit and the reason. */
    public synchronized void commitRefused(String namespace, String reason) {
        flush();
        log.append(row(new AuditEntry(runId, trigger, binding, sourceUrl, commit, cluster, namespace, null, null, null, null,
                EventType.REFUSED, null, Action.REFUSED.name(), null, null, reason)));
    }

    /**
     * The binding's remote chart is not trusted (its digest or provenance): one REFUSED row naming chart, version and the
     * reason; nothing of the binding is applied.
     */
    public synchronized void chartRefused(String namespace, String reason) {
        commitRefused(namespace, reason);
    }

    /** The binding's branch was force-pushed since its last enforced commit: recorded, and the run goes on. */
    public synchronized void forcePushed(String namespace, String what) {
        flush();
        log.append(row(new AuditEntry(runId, trigger, binding, sourceUrl, commit, cluster, namespace, null, null, null, null,
                EventType.FORCE_PUSH, null, null, null, null, what)));
    }

    /** Commits the gathered rows (at the end of the binding, and before any row that must be durable at once). */
    public synchronized void flush() {
        if (!pending.isEmpty()) {
            log.appendAll(List.copyOf(pending));
            pending.clear();
        }
    }

    private void append(ResourceKey key, EventType event, Drift drift, Action action, String error) {
        append(key, event, drift, action, error, null);
    }

    /**
     * One row about {@code drift}; each drifted path's {@code changed_by} line ({@code path<TAB>manager<TAB>time}) rides
     * along, and {@code exception} names the exception the row is about (null: none).
     */
    private synchronized void append(ResourceKey key, EventType event, Drift drift, Action action, String error, String exception) {
        AuditEntry entry = entry(key, event, drift, action, error, exception);
        if (event == EventType.DETECTED || event == EventType.EXCEPTED || event == EventType.EXPIRED) {
            pending.add(entry);
        } else {
            flush();
            log.append(entry);
        }
    }

    private AuditEntry entry(ResourceKey key, EventType event, Drift drift, Action action, String error, String exception) {
        AuditEntry.Details details = AuditEntry.Details.NONE;
        if (!drift.details().isEmpty()) {
            details = details.withChangedBy(String.join("\n", drift.details().stream().map(d -> d.changedBy().row(d.path().render())).toList()));
        }
        if (exception != null) {
            details = details.withException(exception);
        }
        AuditEntry entry = row(new AuditEntry(runId, trigger, binding, sourceUrl, commit, cluster, key.namespace(), key.group(),
                key.version(), key.kind(), key.name(), event, drift.type().name(), action == null ? null : action.name(),
                String.join("\n", drift.paths()), drift.maskedDiff(), error).withDetails(details));
        return entry;
    }

    /** {@code entry} with the binding's remote chart in its details, when it has one. */
    private AuditEntry row(AuditEntry entry) {
        return chart == null ? entry : entry.withDetails(entry.details().withChart(chart, chartDigest));
    }
}
