package io.driftwarden.jobs.apply;

import io.driftwarden.config.Mode;
import io.driftwarden.jobs.concurrent.Futures;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.diff.DriftPath;
import io.driftwarden.jobs.diff.DriftType;
import io.driftwarden.jobs.diff.SecretMasker;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.lifecycle.RunStop;
import io.driftwarden.jobs.live.Requests;
import io.driftwarden.jobs.resource.ResourceKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** Applies drifted objects in kind order, each write between its intent and outcome audit rows. */
public final class Applier {

    /** The annotation that lets driftwarden delete and re-create an object whose change the server refuses as immutable. */
    public static final String REPLACE_ANNOTATION = "driftwarden.io/replace";
    private static final String CRD = "CustomResourceDefinition";
    private static final java.time.Duration ESTABLISHED_TIMEOUT = java.time.Duration.ofSeconds(30);

    /** The field manager of every driftwarden write. */
    public static final String FIELD_MANAGER = "driftwarden";

    /** Namespaces and CRDs first, then Helm's install order; unknown kinds last. */
    private static final List<String> KIND_ORDER = List.of("Namespace", "CustomResourceDefinition", "NetworkPolicy",
            "ResourceQuota", "LimitRange", "PodDisruptionBudget", "ServiceAccount", "Secret", "ConfigMap",
            "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "ClusterRole", "ClusterRoleBinding", "Role",
            "RoleBinding", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
            "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService");

    /**
     * Corrects (enforce) or records (audit) every drifted object; in-sync objects are not written. A correction is
     * a server-side apply of Git's object (when Git's fields differ or the object is missing), then a guarded JSON
     * Patch removing what was added by hand (apply never removes another manager's fields) — one audited change.
     */
    public List<Change> apply(List<Drift> drifts, Mode mode, Clusters.Cluster cluster, BindingAudit audit,
                              Map<ResourceKey, JsonNode> live, Map<ResourceKey, String> keptExtras, Map<ResourceKey, String> refused) {
        return apply(drifts, mode, cluster, audit, live, keptExtras, refused, RunStop.never());
    }

    /**
     * The same, and once {@code stop} is requested no further write is sent: each drifted object of a later rank is
     * recorded {@code SKIPPED} with the reason; one of the rank in progress (its intent already committed) gets a
     * {@code FAILED} outcome saying it was not sent and why; the writes already sent complete with their outcomes.
     *
     * <p>Writes go rank by rank ({@link #KIND_ORDER}: Namespaces, CRDs, then Helm's install order, unknown kinds last; prunes
     * after, in reverse). Within a rank, the intents of all its writes are committed in one transaction first, then the
     * writes are sent side by side, at most the cluster's {@code maxInFlight} of this binding's at once; a rank starts only
     * when the one before has every outcome (and new CRDs are Established).
     */
    public List<Change> apply(List<Drift> drifts, Mode mode, Clusters.Cluster cluster, BindingAudit audit,
                              Map<ResourceKey, JsonNode> live, Map<ResourceKey, String> keptExtras, Map<ResourceKey, String> refused,
                              RunStop stop) {
        List<Drift> ordered = new ArrayList<>(drifts.stream().filter(d -> d.type() != DriftType.EXTRA).toList());
        ordered.sort(Comparator.comparingInt((Drift d) -> kindRank(d.key().kind())).thenComparing(Drift::key));
        List<Change> changes = new ArrayList<>();
        List<ResourceKey> newDefinitions = new ArrayList<>();
        for (List<Drift> rank : ranks(ordered)) {
            if (!newDefinitions.isEmpty() && !isDefinitionOrNamespace(rank.get(0).key())) {
                awaitEstablished(newDefinitions, cluster);
                newDefinitions.clear();
            }
            Change[] done = new Change[rank.size()];
            List<Integer> writes = new ArrayList<>();
            for (int i = 0; i < rank.size(); i++) {
                Drift drift = rank.get(i);
                if (!drift.drifted()) {
                    done[i] = new Change(drift.key(), Action.UNCHANGED, "");
                } else if (mode == Mode.AUDIT) {
                    audit.detected(drift);
                    done[i] = new Change(drift.key(), Action.SKIPPED, "drift left in place (audit mode)");
                } else if (refused.containsKey(drift.key())) {
                    audit.refused(drift, refused.get(drift.key()));
                    done[i] = new Change(drift.key(), Action.REFUSED, refused.get(drift.key()));
                } else if (stop.reason() != null) {
                    done[i] = notStarted(drift, actionOf(drift), stop.reason(), audit);
                } else {
                    writes.add(i);
                }
            }
            List<Drift> toWrite = writes.stream().map(rank::get).toList();
            List<Change> written = sideBySide(toWrite, toWrite.stream().map(Applier::actionOf).toList(), cluster, audit, stop,
                    drift -> send(drift, cluster, audit, live.get(drift.key())));
            for (int w = 0; w < writes.size(); w++) {
                done[writes.get(w)] = written.get(w);
                if (toWrite.get(w).key().kind().equals(CRD) && written.get(w).action() != Action.FAILED) {
                    newDefinitions.add(toWrite.get(w).key());
                }
            }
            changes.addAll(List.of(done));
        }
        changes.addAll(prune(drifts.stream().filter(d -> d.type() == DriftType.EXTRA).toList(), cluster, audit, keptExtras, refused, stop));
        return changes;
    }

    private static Action actionOf(Drift drift) {
        return drift.type() == DriftType.MISSING ? Action.CREATED : Action.CONFIGURED;
    }

    /** {@code ordered} (sorted by kind rank) cut into runs of one rank each. */
    private static List<List<Drift>> ranks(List<Drift> ordered) {
        List<List<Drift>> ranks = new ArrayList<>();
        int previous = Integer.MIN_VALUE;
        for (Drift drift : ordered) {
            int rank = kindRank(drift.key().kind());
            if (rank != previous || ranks.isEmpty()) {
                ranks.add(new ArrayList<>());
                previous = rank;
            }
            ranks.get(ranks.size() - 1).add(drift);
        }
        return ranks;
    }

    /**
     * The writes of one rank: not one is sent when the cluster is already unreachable (one FAILED row each, no intent);
     * otherwise every intent is committed in one transaction, then the writes go out side by side, at most the cluster's
     * {@code maxInFlight} at once. Once the cluster is declared unreachable mid-rank, or the run is asked to stop, a write
     * not yet sent is not sent: its intent gets one FAILED outcome saying so and why (the writes already sent complete). The accounting per object is exact: attempted (its outcome is
     * CORRECTED, or FAILED with the server's answer or why there was none) or not sent (FAILED, "not sent").
     */
    private static List<Change> sideBySide(List<Drift> drifts, List<Action> actions, Clusters.Cluster cluster, BindingAudit audit,
                                           RunStop stop, java.util.function.Function<Drift, Change> write) {
        if (drifts.isEmpty()) {
            return List.of();
        }
        if (cluster.unreachable() != null) {
            List<Change> failed = new ArrayList<>();
            for (int i = 0; i < drifts.size(); i++) {
                failed.add(notSent(drifts.get(i), actions.get(i), cluster, audit));
            }
            return failed;
        }
        try {
            audit.intents(drifts, actions);
        } catch (RuntimeException e) {
            return drifts.stream().map(d -> new Change(d.key(), Action.FAILED, (d.type() == DriftType.EXTRA ? "not deleted" : "not applied")
                    + ": the audit intent row could not be written: " + e.getMessage())).toList();
        }
        java.util.function.IntFunction<Change> one = i -> {
            Drift drift = drifts.get(i);
            if (cluster.unreachable() != null) {
                return notSentAfterIntent(drift, actions.get(i), "cluster " + cluster.name() + " is unreachable (" + cluster.unreachable() + ")", audit);
            }
            if (stop.reason() != null) {
                return notSentAfterIntent(drift, actions.get(i), RunStop.notStarted(stop.reason()), audit);
            }
            return write.apply(drift);
        };
        if (drifts.size() == 1) {
            return List.of(one.apply(0));
        }
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(cluster.requests().inFlight());
        List<CompletableFuture<Change>> sent = new ArrayList<>(drifts.size());
        for (int i = 0; i < drifts.size(); i++) {
            int index = i;
            inFlight.acquireUninterruptibly();
            sent.add(Requests.inParallel(() -> {
                try {
                    return one.apply(index);
                } finally {
                    inFlight.release();
                }
            }));
        }
        return sent.stream().map(Futures::join).toList();
    }

    /** A write not started because the run was asked to stop: a {@code SKIPPED} row with the reason. */
    private static Change notStarted(Drift drift, Action action, String reason, BindingAudit audit) {
        String detail = RunStop.notStarted(reason);
        audit.skipped(drift, action, detail);
        return new Change(drift.key(), Action.SKIPPED, detail);
    }

    /**
     * Objects that left Git: each kept one is recorded with the guard's reason, each the tenancy gate refuses with its
     * reason; the others are deleted last, in reverse kind order (a Namespace after what it holds), rank by rank as
     * {@link #apply} writes, each between its intent and outcome rows.
     */
    private static List<Change> prune(List<Drift> extras, Clusters.Cluster cluster, BindingAudit audit, Map<ResourceKey, String> kept,
                                      Map<ResourceKey, String> refused, RunStop stop) {
        List<Drift> ordered = new ArrayList<>(extras);
        ordered.sort(Comparator.comparingInt((Drift d) -> kindRank(d.key().kind())).reversed().thenComparing(Drift::key));
        List<Change> changes = new ArrayList<>();
        for (List<Drift> rank : ranks(ordered)) {
            Change[] done = new Change[rank.size()];
            List<Integer> deletes = new ArrayList<>();
            for (int i = 0; i < rank.size(); i++) {
                Drift extra = rank.get(i);
                String reason = kept.get(extra.key());
                if (reason != null) {
                    audit.detected(extra, reason);
                    done[i] = new Change(extra.key(), Action.SKIPPED, reason);
                } else if (refused.containsKey(extra.key())) {
                    audit.refused(extra, refused.get(extra.key()));
                    done[i] = new Change(extra.key(), Action.REFUSED, refused.get(extra.key()));
                } else if (cluster.unreachable() == null && stop.reason() != null) {
                    done[i] = notStarted(extra, Action.DELETED, stop.reason(), audit);
                } else {
                    deletes.add(i);
                }
            }
            List<Drift> toDelete = deletes.stream().map(rank::get).toList();
            List<Change> deleted = sideBySide(toDelete, toDelete.stream().map(d -> Action.DELETED).toList(), cluster, audit, stop,
                    extra -> delete(extra, cluster, audit));
            for (int d = 0; d < deletes.size(); d++) {
                done[deletes.get(d)] = deleted.get(d);
            }
            changes.addAll(List.of(done));
        }
        return changes;
    }

    /** Deletes one object whose intent is committed, and records its outcome. */
    private static Change delete(Drift extra, Clusters.Cluster cluster, BindingAudit audit) {
        ResourceKey key = extra.key();
        try {
            var resources = cluster.resources(key.apiVersion(), key.kind());
            var target = key.namespace().isEmpty() ? resources.withName(key.name()) : resources.inNamespace(key.namespace()).withName(key.name());
            cluster.call(target::delete);
        } catch (RuntimeException e) {
            String error = key.subject() + " delete failed: " + e.getMessage();
            audit.failed(extra, Action.DELETED, error);
            return new Change(key, Action.FAILED, error);
        }
        cluster.wrote(key);
        audit.corrected(extra, Action.DELETED);
        return new Change(key, Action.DELETED, "no longer in Git");
    }

    /**
     * Waits (at most {@link #ESTABLISHED_TIMEOUT} each) until each CustomResourceDefinition just written is
     * {@code Established}, so the custom resources that follow are served: fabric8's {@code waitUntilCondition}
     * (a LIST and a WATCH of that one definition, no polling). A definition that does not get there is left to fail
     * its resources with "the cluster does not serve".
     */
    private static void awaitEstablished(List<ResourceKey> definitions, Clusters.Cluster cluster) {
        for (ResourceKey definition : definitions) {
            try {
                cluster.call(() -> cluster.resources(definition.apiVersion(), definition.kind()).withName(definition.name())
                        .waitUntilCondition(Applier::established, ESTABLISHED_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            } catch (KubernetesClientException notEstablished) {
                // its custom resources fail on their own, each with its file:line
            }
        }
    }

    private static boolean established(GenericKubernetesResource crd) {
        if (crd == null) {
            return false;
        }
        JsonNode conditions = Serialization.jsonMapper().valueToTree(crd).path("status").path("conditions");
        for (JsonNode condition : conditions) {
            if (condition.path("type").asString("").equals("Established") && condition.path("status").asString("").equals("True")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDefinitionOrNamespace(ResourceKey key) {
        return key.kind().equals(CRD) || key.kind().equals("Namespace");
    }

    /** Sends one correction whose intent is committed, and records its outcome. */
    private static Change send(Drift drift, Clusters.Cluster cluster, BindingAudit audit, JsonNode live) {
        Action action = actionOf(drift);
        try {
            JsonNode current = live;
            if (drift.type() == DriftType.MISSING || drift.details().stream().anyMatch(d -> !d.liveOnly())) {
                current = Serialization.jsonMapper().valueToTree(cluster.call(() -> serverSideApply(drift, cluster, false)));
            }
            ArrayNode removal = drift.liveOnly().isEmpty() ? null : RemovalPatch.of(drift.liveOnly(), current);
            if (removal != null) {
                cluster.call(() -> jsonPatch(drift.key(), removal, cluster, false));
            }
        } catch (RuntimeException e) {
            String error = drift.key().subject() + " apply failed: " + explain(drift, e, live);
            audit.failed(drift, action, error);
            if (isImmutable(e) && wantsReplace(drift)) {
                return replace(drift, cluster, audit);
            }
            return new Change(drift.key(), Action.FAILED, error);
        }
        cluster.wrote(drift.key());
        audit.corrected(drift, action);
        return new Change(drift.key(), action, String.join(", ", drift.paths()));
    }

    /**
     * A change not sent because its cluster stopped answering earlier in the run: one FAILED row with the cause, no
     * intent (nothing is attempted).
     */
    private static Change notSent(Drift drift, Action action, Clusters.Cluster cluster, BindingAudit audit) {
        String error = drift.key().subject() + " not " + action.name().toLowerCase(java.util.Locale.ROOT) + ": cluster " + cluster.name()
                + " is unreachable (" + cluster.unreachable() + ")";
        audit.failed(drift, action, error);
        return new Change(drift.key(), Action.FAILED, error);
    }

    /**
     * A change whose intent was committed with its rank, not sent because its cluster was declared unreachable or the run
     * was asked to stop while the rank was going out: the intent's one outcome, FAILED, saying it was not sent and why.
     */
    private static Change notSentAfterIntent(Drift drift, Action action, String why, BindingAudit audit) {
        String error = drift.key().subject() + " not " + action.name().toLowerCase(java.util.Locale.ROOT) + " (not sent): " + why;
        audit.failed(drift, action, error);
        return new Change(drift.key(), Action.FAILED, error);
    }

    /** Deletes the object and creates it from Git, between its own intent and outcome rows. */
    private static Change replace(Drift drift, Clusters.Cluster cluster, BindingAudit audit) {
        try {
            audit.intent(drift, Action.REPLACED);
        } catch (RuntimeException e) {
            return new Change(drift.key(), Action.FAILED, "not replaced: the audit intent row could not be written: " + e.getMessage());
        }
        ResourceKey key = drift.key();
        try {
            var resources = cluster.resources(key.apiVersion(), key.kind());
            var target = key.namespace().isEmpty() ? resources.withName(key.name()) : resources.inNamespace(key.namespace()).withName(key.name());
            cluster.call(target::delete);
            cluster.call(() -> serverSideApply(drift, cluster, false));
        } catch (RuntimeException e) {
            String error = key.subject() + " replace failed: " + SecretMasker.scrub(e.getMessage(), drift.desired(), null);
            audit.failed(drift, Action.REPLACED, error);
            return new Change(key, Action.FAILED, error);
        }
        cluster.wrote(key);
        audit.corrected(drift, Action.REPLACED);
        return new Change(key, Action.REPLACED, String.join(", ", drift.paths()));
    }

    /** How the API server's 404 begins for a path it does not serve (no such group, version or resource). */
    private static final String UNSERVED = "the server could not find the requested resource";

    /** The failure as a user can act on it: an unserved kind, an immutable field, or the server's own words. */
    private static String explain(Drift drift, RuntimeException e, JsonNode live) {
        String message = SecretMasker.scrub(e.getMessage(), drift.desired(), live);
        ResourceKey key = drift.key();
        if (e instanceof KubernetesClientException failure && failure.getCode() == 404 && live == null) {
            String said = failure.getStatus() == null ? null : failure.getStatus().getMessage();
            if (said != null && !said.isBlank() && !said.startsWith(UNSERVED) && !said.contains("page not found")) {
                // the server named what it could not find (namespaces "shop" not found): its words, not a guess
                return drift.desired().origin() + ": " + SecretMasker.scrub(said, drift.desired(), null);
            }
            return drift.desired().origin() + ": the cluster does not serve " + key.apiVersion() + " " + key.kind()
                    + " (is its CustomResourceDefinition installed?)";
        }
        if (isImmutable(e)) {
            return message + " — the server will not change this field in place: delete the object and let the next run "
                    + "create it, or annotate it " + REPLACE_ANNOTATION + ": \"true\" in Git to have driftwarden replace it";
        }
        return message;
    }

    private static boolean isImmutable(RuntimeException e) {
        return e instanceof KubernetesClientException failure && failure.getCode() == 422
                && String.valueOf(failure.getMessage()).contains("field is immutable");
    }

    private static boolean wantsReplace(Drift drift) {
        return "true".equals(drift.desired().manifest().path("metadata").path("annotations").path(REPLACE_ANNOTATION).asString(""));
    }

    /**
     * Asks the server, by dry-runs ({@code dryRun=All}), whether each drift found locally is real. Live-only paths
     * (rule 2: put there by a drift manager, or left Git) are sent as the guarded JSON Patch that would remove them: a
     * path the server's answer holds with its live value (it defaulted it again — {@code dnsPolicy: ClusterFirst} owned by
     * {@code kubectl-create}) is no drift. A drift found only on fields Git sets (rule 1) is sent as a server-side apply:
     * where the object the server predicts equals the live one on every drifted path (a default of a CRD, a field newer
     * than our schema), there is no drift; a drift whose live-only paths all cleared is then checked so too. A refused
     * dry-run leaves the local verdict standing. Only flagged objects cost requests: a steady state sends none. Nothing is
     * sent for an object in {@code refused} (the tenancy gate's): not even a dry-run reaches another namespace's admission.
     */
    public Confirmation confirm(List<Drift> drifts, Clusters.Cluster cluster, Map<ResourceKey, JsonNode> live, Set<ResourceKey> refused) {
        List<CompletableFuture<Checked>> checks = new ArrayList<>(drifts.size());
        for (Drift drift : drifts) {
            JsonNode current = live.get(drift.key());
            boolean askable = drift.type() == DriftType.MODIFIED && (!drift.liveOnly().isEmpty() || drift.onlyDiffersFromGit());
            if (!askable || current == null || refused.contains(drift.key())) {
                checks.add(CompletableFuture.completedFuture(new Checked(drift, 0)));
            } else {
                checks.add(Requests.inParallel(() -> confirm(drift, current, cluster))); // a binding's dry-runs go out together
            }
        }
        List<Drift> confirmed = new ArrayList<>(drifts.size());
        int requests = 0;
        int cleared = 0;
        for (int i = 0; i < drifts.size(); i++) {
            Checked checked = Futures.join(checks.get(i));
            confirmed.add(checked.drift());
            requests += checked.dryRuns();
            cleared += checked.drift().drifted() != drifts.get(i).drifted() ? 1 : 0;
        }
        return new Confirmation(confirmed, requests, cleared);
    }

    /** A drift after its dry-runs, and how many were sent for it. */
    private record Checked(Drift drift, int dryRuns) {
    }

    private static Checked confirm(Drift drift, JsonNode current, Clusters.Cluster cluster) {
        int dryRuns = 0;
        Drift left = drift;
        if (!drift.liveOnly().isEmpty()) {
            ArrayNode removal = RemovalPatch.of(drift.liveOnly(), current);
            if (removal != null) {
                dryRuns++;
                left = confirmRemovals(drift, removal, current, cluster);
            }
        }
        if (left.drifted() && left.onlyDiffersFromGit()) {
            dryRuns++;
            left = confirmApply(left, current, cluster);
        }
        return new Checked(left, dryRuns);
    }

    /**
     * The drift without the live-only paths the server puts back with the same value when the removal patch is dry-run
     * (its defaults); in sync when nothing is left.
     */
    private static Drift confirmRemovals(Drift drift, ArrayNode removal, JsonNode current, Clusters.Cluster cluster) {
        JsonNode predicted;
        try {
            predicted = Serialization.jsonMapper().valueToTree(cluster.call(() -> jsonPatch(drift.key(), removal, cluster, true)));
        } catch (RuntimeException refused) {
            return drift;
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < drift.details().size(); i++) {
            DriftPath path = drift.details().get(i);
            JsonNode before = path.path().valueIn(current);
            boolean defaulted = path.liveOnly() && before != null && before.equals(path.path().valueIn(predicted));
            if (!defaulted) {
                kept.add(i);
            }
        }
        return without(drift, kept);
    }

    /** The drift with only the details at {@code kept}; its per-path lines likewise (whole when they cannot be told apart). */
    private static Drift without(Drift drift, List<Integer> kept) {
        if (kept.size() == drift.details().size()) {
            return drift;
        }
        if (kept.isEmpty()) {
            return drift.inSync();
        }
        List<DriftPath> details = kept.stream().map(drift.details()::get).toList();
        String[] lines = drift.maskedDiff().split("\n", -1);
        String masked = lines.length == drift.details().size()
                ? String.join("\n", kept.stream().map(i -> lines[i]).toList()) : drift.maskedDiff();
        return new Drift(drift.desired(), drift.type(), details, masked, drift.unifiedDiff());
    }

    /** The drift, or its in-sync self when the server's dry-run of the apply predicts what the cluster already holds. */
    private static Drift confirmApply(Drift drift, JsonNode current, Clusters.Cluster cluster) {
        JsonNode predicted;
        try {
            predicted = Serialization.jsonMapper().valueToTree(cluster.call(() -> serverSideApply(drift, cluster, true)));
        } catch (RuntimeException refused) {
            return drift;
        }
        boolean same = drift.details().stream().allMatch(d -> Objects.equals(d.path().valueIn(predicted), d.path().valueIn(current)));
        return same ? drift.inSync() : drift;
    }

    /** Drifts after the server's dry-runs, how many dry-runs were asked, and how many drifts they cleared. */
    public record Confirmation(List<Drift> drifts, int dryRuns, int cleared) {
    }

    private static GenericKubernetesResource serverSideApply(Drift drift, Clusters.Cluster cluster, boolean dryRun) {
        ResourceKey key = drift.key();
        GenericKubernetesResource object = Serialization.jsonMapper().treeToValue(drift.desired().manifest(),
                GenericKubernetesResource.class);
        var resources = cluster.resources(key.apiVersion(), key.kind());
        var target = key.namespace().isEmpty() ? resources.resource(object) : resources.inNamespace(key.namespace()).resource(object);
        return (dryRun ? target.dryRun() : target).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    private static GenericKubernetesResource jsonPatch(ResourceKey key, ArrayNode patch, Clusters.Cluster cluster, boolean dryRun) {
        var resources = cluster.resources(key.apiVersion(), key.kind());
        var target = key.namespace().isEmpty() ? resources.withName(key.name()) : resources.inNamespace(key.namespace()).withName(key.name());
        PatchContext.Builder context = new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(FIELD_MANAGER);
        if (dryRun) {
            context.withDryRun(List.of("All"));
        }
        return target.patch(context.build(), Serialization.asJson(patch));
    }

    private static int kindRank(String kind) {
        int rank = KIND_ORDER.indexOf(kind);
        return rank < 0 ? KIND_ORDER.size() : rank;
    }
}
