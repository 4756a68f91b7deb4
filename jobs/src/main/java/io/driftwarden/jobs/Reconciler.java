package io.driftwarden.jobs;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.Inventory;
import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.DriftwardenConfig;
import io.driftwarden.config.Mode;
import io.driftwarden.config.SourceSpec;
import io.driftwarden.jobs.apply.Applier;
import io.driftwarden.jobs.apply.BindingAudit;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.apply.Recovery;
import io.driftwarden.jobs.chart.ChartRefusedException;
import io.driftwarden.jobs.chart.RemoteCharts;
import io.driftwarden.jobs.chart.ResolvedChart;
import io.driftwarden.jobs.diff.Differ;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.exceptions.Exceptions;
import io.driftwarden.jobs.health.HealthReport;
import io.driftwarden.jobs.health.HealthWatch;
import io.driftwarden.jobs.lifecycle.RunStop;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.live.LiveReader;
import io.driftwarden.jobs.prune.Extras;
import io.driftwarden.jobs.prune.PruneGuards;
import io.driftwarden.jobs.prune.Unmanaged;
import io.driftwarden.jobs.render.RenderException;
import io.driftwarden.jobs.render.Renderer;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.resource.ResourceKey.ListGroup;
import io.driftwarden.kube.KindScopes;
import io.driftwarden.kube.Schemas;
import io.driftwarden.jobs.source.CommitRefusedException;
import io.driftwarden.jobs.source.SourceReader;
import io.driftwarden.jobs.source.SourceRevision;
import io.driftwarden.jobs.tenancy.Tenancy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Takes one binding through the pipeline. One instance serves one run (it shares Git fetches and clients). */
public final class Reconciler {

    /** How long a run must have written nothing before its open intents count as left behind. */
    static final Duration QUIET = Duration.ofMinutes(10);

    private final DriftwardenConfig config;
    private final SourceReader sources;
    private final Renderer renderer;
    private final Clusters clusters;
    private final LiveReader liveReader;
    private final Applier applier;
    private final AuditLog auditLog;
    private final RemoteCharts charts;
    private final HealthWatch healthWatch;

    private final Clock clock = Clock.systemUTC();

    public Reconciler(DriftwardenConfig config, SourceReader sources, Clusters clusters, AuditLog auditLog) {
        this(config, sources, clusters, auditLog, new LiveReader());
    }

    private Reconciler(DriftwardenConfig config, SourceReader sources, Clusters clusters, AuditLog auditLog, LiveReader liveReader) {
        this(config, sources, clusters, auditLog, liveReader, HealthWatch.standard(liveReader));
    }

    /** A reconciler whose health watch is {@code healthWatch} (tests give one that polls sooner). */
    public Reconciler(DriftwardenConfig config, SourceReader sources, Clusters clusters, AuditLog auditLog, LiveReader liveReader,
                      HealthWatch healthWatch) {
        this.config = config;
        this.sources = sources;
        this.charts = new RemoteCharts(sources.cacheDir().resolve("charts"));
        this.renderer = new Renderer(config.kustomizeCommand(), sources.parsedCache()).withCharts(charts);
        this.clusters = clusters;
        this.liveReader = liveReader;
        this.applier = new Applier();
        this.auditLog = auditLog;
        this.healthWatch = healthWatch;
    }

    /**
     * Reconciles {@code binding} while holding its lease; any failure is returned (and audited), never thrown. A binding
     * another run holds, or reached after the run was asked to stop, is recorded {@code SKIPPED} with why and not started.
     */
    public BindingResult reconcile(BindingSpec binding, RunContext run) {
        SourceSpec source = config.source(binding.source());
        BindingAudit audit = new BindingAudit(auditLog, run.runId(), run.trigger(), binding.name(), binding.cluster(), source.url());
        if (run.stop().reason() != null) {
            String why = RunStop.notStarted(run.stop().reason());
            audit.bindingSkipped(binding.namespace(), why);
            return new BindingResult(binding.name(), binding.cluster(), binding.namespace(), null, List.of(), List.of(), 0, List.of(),
                    "binding " + binding.name() + ": " + why);
        }
        var holder = run.leases().acquire(binding.name());
        if (holder.isPresent()) {
            String why = "binding " + binding.name() + " is being reconciled by " + holder.get();
            audit.bindingSkipped(binding.namespace(), why);
            return BindingResult.skipped(binding.name(), binding.cluster(), binding.namespace(), why);
        }
        try {
            return reconcileHeld(binding, run, source, audit);
        } finally {
            run.leases().release(binding.name());
        }
    }

    private BindingResult reconcileHeld(BindingSpec binding, RunContext run, SourceSpec source, BindingAudit audit) {
        SourceRevision revision = null;
        ResolvedChart chart = null;
        try {
            revision = sources.resolve(source);
            audit.atCommit(revision.url(), revision.commit());
            trust(binding, source, revision, audit);
            chart = remoteChart(binding, audit);
            Clusters.Cluster cluster = clusters.connect(config.cluster(binding.cluster()));
            List<DesiredObject> desired = renderer.render(sources.at(revision), binding, cluster.discovery(), chart);
            List<Inventory.Entry> inventory = auditLog.inventory().of(binding.name());
            Set<ListGroup> groups = new TreeSet<>(ResourceKey.groupsOf(desired));
            groups.addAll(Extras.groupsOf(inventory));
            Map<ResourceKey, JsonNode> live = liveReader.read(cluster, groups);
            List<Drift> found = differ(desired).diff(desired, live, binding.ignore(), binding.driftManagers()).stream()
                    .map(drift -> governed(binding, drift, live)).toList();
            List<Drift> extras = Extras.find(binding.name(), desired, live, inventory);
            Map<ResourceKey, String> refused = gate(binding, cluster, desired, extras, live);
            int rendered = (int) desired.stream().filter(d -> !Renderer.createdForBinding(d)).count();
            Map<ResourceKey, String> kept = PruneGuards.kept(binding, rendered, inventory.size(), extras, refused.keySet(),
                    namespace -> liveReader.namespaceContents(cluster, namespace));
            // a cluster listed by label cannot see unlabelled objects: no unmanaged report there (README, Performance)
            List<ResourceKey> unmanaged = cluster.listByLabel() ? List.of() : Unmanaged.find(desired, live);
            unmanaged.forEach(audit::unmanaged);
            Exceptions.Sorted excepted = Exceptions.sort(config.exceptions().exceptions(), binding, found, refused.keySet(), live,
                    run.clock().instant(), audit); // covered drift stops here: no dry-run, no write
            Applier.Confirmation confirmed = applier.confirm(excepted.open(), cluster, live, refused.keySet()); // nothing is sent for a refused object
            List<Drift> drifts = new ArrayList<>(confirmed.drifts());
            drifts.addAll(extras);
            AuditLog.Unfinished unfinished = auditLog.unfinishedIntents(binding.name(), clock.instant().minus(QUIET));
            Recovery.resolve(unfinished.intents(), java.util.stream.Stream.concat(drifts.stream(), excepted.excepted().stream())
                    .collect(Collectors.toMap(Drift::key, d -> d, (a, b) -> a)), live, audit);
            List<Change> changes = new ArrayList<>(applier.apply(drifts, binding.mode(), cluster, audit, live, kept, refused, run.stop()));
            changes.addAll(excepted.changes());
            drifts.addAll(excepted.excepted());
            HealthReport health = healthWatch.after(binding, cluster, desired, drifts, changes, live, run.stop(), audit);
            audit.flush();
            auditLog.intentsCheckedUpTo(binding.name(), unfinished.checkedUpTo()); // their outcomes are committed now
            if (binding.mode() == Mode.ENFORCE) {
                auditLog.inventory().replace(binding.name(), Extras.inventoryAfter(binding.name(), desired, extras, live, changes, refused.keySet()),
                        new Inventory.Commit(revision.url(), revision.commit()));
            }
            long notStarted = changes.stream().filter(c -> c.detail() != null && c.detail().startsWith(RunStop.notStarted(""))).count();
            // the result lives until the run ends: it keeps what the output and the metrics need, not the manifests
            return new BindingResult(binding.name(), binding.cluster(), binding.namespace(), revision,
                    drifts.stream().map(Drift::withoutManifest).toList(),
                    changes, confirmed.dryRuns(), unmanaged, notStarted == 0 ? null
                    : "binding " + binding.name() + ": " + notStarted + " objects not corrected: " + RunStop.notStarted(run.stop().reason()),
                    null, excepted.expired(), health, chart);
        } catch (RuntimeException e) {
            String error = describe(binding, e);
            try {
                if (e instanceof CommitRefusedException) {
                    audit.commitRefused(binding.namespace(), e.getMessage());
                } else if (e instanceof ChartRefusedException) {
                    audit.chartRefused(binding.namespace(), "remote chart refused: " + e.getMessage());
                } else {
                    audit.bindingFailed(binding.namespace(), error);
                }
            } catch (RuntimeException auditFailure) {
                error += " (and the failure could not be audited: " + auditFailure.getMessage() + ")";
            }
            return new BindingResult(binding.name(), binding.cluster(), binding.namespace(), revision, List.of(), List.of(), 0,
                    List.of(), error).withChart(chart);
        }
    }

    /**
     * The binding's remote chart, fetched or from the cache and verified, and named from then on on every audit row of the
     * binding; null when its manifests are all in Git.
     */
    private ResolvedChart remoteChart(BindingSpec binding, BindingAudit audit) {
        if (binding.helm().remote() == null) {
            return null;
        }
        var remote = binding.helm().remote();
        audit.withChart(remote.reference(), remote.digest()); // a refusal's row names the chart asked for, and the pinned digest
        ResolvedChart chart = charts.resolve(remote);
        audit.withChart(chart.reference(), chart.digest());
        return chart;
    }

    /**
     * The tenancy gate's refusals for every write of {@code desired} and delete of {@code extras}. What the cluster serves
     * decides a kind's scope; a CustomResourceDefinition in Git counts (for scope, and to reach its kind before discovery
     * lists it) only when the binding may write it.
     */
    private Map<ResourceKey, String> gate(BindingSpec binding, Clusters.Cluster cluster, List<DesiredObject> desired, List<Drift> extras,
                                          Map<ResourceKey, JsonNode> live) {
        Set<String> denyKinds = Set.copyOf(config.denyKinds());
        KindScopes served = Schemas.builtin().orElse(cluster.discovery());
        List<DesiredObject> definitions = Tenancy.writableDefinitions(binding, denyKinds, served, desired, live);
        cluster.declare(manifests(definitions));
        return Tenancy.refusals(binding, denyKinds, served.orElse(Schemas.builtin().withCrds(manifests(definitions))), desired, extras, live);
    }

    /**
     * The source's policy for the commit about to be enforced: a valid signature from its keyring when it names one,
     * and descent from the commit this binding last enforced — a force-push is recorded, or refused when configured.
     */
    private void trust(BindingSpec binding, SourceSpec source, SourceRevision revision, BindingAudit audit) {
        if (source.keyring() != null) {
            sources.verifySignature(revision, source.keyring());
        }
        Inventory.Commit last = auditLog.inventory().lastCommit(binding.name());
        if (last == null || !last.sourceUrl().equals(revision.url()) || sources.descendsFrom(revision, last.sha())) {
            return;
        }
        String what = "commit " + revision.commit() + " does not descend from " + last.sha() + ", the last commit binding "
                + binding.name() + " enforced: " + source.ref() + " was force-pushed";
        if (source.refuseForcePush()) {
            throw new CommitRefusedException(what + " (refused: forcePush: refuse)");
        }
        audit.forcePushed(binding.namespace(), what);
    }

    /**
     * What of a drift this binding acts on: the Namespace {@code createNamespace} adds is created when missing and
     * otherwise left as it is (as Argo CD's {@code CreateNamespace=true}); on its own Namespace, only what Git sets
     * ({@link Tenancy#governed}).
     */
    private static Drift governed(BindingSpec binding, Drift drift, Map<ResourceKey, JsonNode> live) {
        if (Renderer.createdForBinding(drift.desired()) && live.containsKey(drift.key())) {
            return drift.inSync();
        }
        return Tenancy.governed(binding, drift);
    }

    private static List<JsonNode> manifests(List<DesiredObject> desired) {
        return desired.stream().map(d -> (JsonNode) d.manifest()).toList();
    }

    /** A differ that knows the built-in kinds and the custom kinds whose CRDs this binding declares. */
    private static Differ differ(List<DesiredObject> desired) {
        Schemas schemas = Schemas.builtin().withCrds(manifests(desired));
        return new Differ(schemas, Applier.FIELD_MANAGER);
    }

    private static String describe(BindingSpec binding, RuntimeException e) {
        if (e instanceof RenderException render) {
            return "binding " + binding.name() + ": manifests do not render:\n  " + String.join("\n  ", render.problems());
        }
        return "binding " + binding.name() + ": " + e.getMessage();
    }
}
