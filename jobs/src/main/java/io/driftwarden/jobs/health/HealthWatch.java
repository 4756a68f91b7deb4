package io.driftwarden.jobs.health;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.HealthSettings;
import io.driftwarden.config.Mode;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.BindingAudit;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.diff.DriftType;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.lifecycle.RunStop;
import io.driftwarden.jobs.live.Clusters;
import io.driftwarden.jobs.live.LiveReader;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.resource.ResourceKey.ListGroup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Reads the health of a binding's objects after its writes, with the LISTs the binding already makes — one per
 * (kind, namespace) that holds an object still to settle, per poll; never a GET per object. Without a wait it reads
 * once: the groups holding a written object are listed again (the write responses are not used: they show each object
 * before its controller acted, so a Deployment written a moment ago would always read InProgress) — except objects
 * whose health the write alone settles ({@link HealthRules#fromWrite}: ConfigMaps, Secrets, a ClusterIP Service…), which
 * cost no LIST —; the other assessed objects are judged from what the binding read before its writes. With a wait it polls, backing off from
 * {@code firstPoll} (doubling, at most {@link #MAX_POLL}), until nothing is InProgress, the wait runs out, or the run is
 * asked to stop. A Failed object, or one still InProgress when the wait ran out, fails the binding with the reason from
 * its conditions; InProgress without a wait, and Unknown, do not.
 */
public final class HealthWatch {

    /** The actions that wrote an object this run (a deleted object has no health left to read). */
    private static final Set<Action> WRITES = EnumSet.of(Action.CREATED, Action.CONFIGURED, Action.REPLACED);

    /** The longest pause between two polls. */
    public static final Duration MAX_POLL = Duration.ofSeconds(10);
    /** The pause before the first poll of a wait, unless set otherwise. */
    public static final Duration FIRST_POLL = Duration.ofMillis(500);

    /** Pauses the watching thread; the clock's time must move on by the pause (tests give a clock that does). */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;

        static Pause sleeping() {
            return duration -> Thread.sleep(duration.toMillis());
        }
    }

    private final HealthRules rules;
    private final LiveReader reader;
    private final Clock clock;
    private final Pause pause;
    private final Duration firstPoll;

    public HealthWatch(HealthRules rules, LiveReader reader, Clock clock, Pause pause, Duration firstPoll) {
        this.rules = rules;
        this.reader = reader;
        this.clock = clock;
        this.pause = pause;
        this.firstPoll = firstPoll;
    }

    /** The watch of a run: the system clock, sleeping between polls from {@link #FIRST_POLL}. */
    public static HealthWatch standard(LiveReader reader) {
        return new HealthWatch(HealthRules.standard(), reader, Clock.systemUTC(), Pause.sleeping(), FIRST_POLL);
    }

    /**
     * The health of a binding's objects after its writes, each recorded as a {@code HEALTH} row. In enforce mode it
     * assesses what the binding wrote (created, configured, replaced) — with {@code health.scope: all}, every object it
     * manages that is live or written — as {@link #watch} reads them. In audit mode ({@code plan}) nothing was written:
     * it assesses the live objects it would have written (its drifted ones; with {@code all}, all it manages) from what
     * the binding already read — no request, no wait — and reports them without failing the binding.
     */
    public HealthReport after(BindingSpec binding, Clusters.Cluster cluster, List<DesiredObject> desired, List<Drift> drifts,
                              List<Change> changes, Map<ResourceKey, JsonNode> live, RunStop stop, BindingAudit audit) {
        HealthSettings settings = binding.health();
        List<ResourceKey> managed = desired.stream().map(DesiredObject::key).toList();
        boolean all = settings.scope() == HealthSettings.Scope.ALL;
        HealthReport report;
        if (binding.mode() == Mode.AUDIT) {
            Set<ResourceKey> wouldWrite = new TreeSet<>();
            drifts.stream().filter(d -> d.drifted() && d.type() != DriftType.EXTRA).forEach(d -> wouldWrite.add(d.key()));
            Set<ResourceKey> assessed = new TreeSet<>(all ? managed : wouldWrite);
            assessed.retainAll(live.keySet());
            report = watch(cluster, assessed, Map.of(), live, HealthSettings.DEFAULTS, stop).reportedOnly();
        } else {
            Map<ResourceKey, JsonNode> written = new TreeMap<>();
            Map<ResourceKey, JsonNode> manifests = new java.util.HashMap<>();
            desired.forEach(d -> manifests.put(d.key(), d.manifest()));
            changes.stream().filter(c -> WRITES.contains(c.action())).forEach(c -> written.put(c.key(), manifests.get(c.key())));
            Set<ResourceKey> assessed = new TreeSet<>(written.keySet());
            if (all) {
                managed.stream().filter(live::containsKey).forEach(assessed::add);
            }
            report = watch(cluster, assessed, written, live, settings, stop);
        }
        report.objects().forEach(o -> audit.health(o.key(), o.state().kstatusName(), o.health().describe()));
        return report;
    }

    /**
     * The health of {@code assessed} once {@code written} (the objects written this run, with the manifests written)
     * has settled as {@code settings} say. {@code before} is what the binding read before its writes: objects not
     * written are judged from it, and read again only while a wait polls their group.
     */
    public HealthReport watch(Clusters.Cluster cluster, Set<ResourceKey> assessed, Map<ResourceKey, JsonNode> written,
                              Map<ResourceKey, JsonNode> before, HealthSettings settings, RunStop stop) {
        if (assessed.isEmpty()) {
            return HealthReport.NONE;
        }
        Instant start = clock.instant();
        Map<ResourceKey, Health> health = new TreeMap<>();
        Set<ResourceKey> toList = new TreeSet<>();
        for (ResourceKey key : assessed) {
            if (!written.containsKey(key)) {
                health.put(key, assess(key, before.get(key)));
                continue;
            }
            JsonNode manifest = written.get(key);
            var known = manifest == null ? java.util.Optional.<Health>empty() : rules.fromWrite(key.group(), key.kind(), manifest);
            if (known.isPresent()) {
                health.put(key, known.get()); // known from the write: no LIST for it
            } else {
                toList.add(key);
            }
        }
        int lists = 0;
        Set<ListGroup> toRead = groups(toList);
        Duration wait = settings.timeout();
        Instant deadline = wait == null ? start : start.plus(wait);
        Duration nextPause = firstPoll;
        boolean timedOut = false;
        while (true) {
            if (!toRead.isEmpty()) {
                lists += toRead.size();
                read(cluster, toRead, assessed, health);
            }
            toRead = groups(unsettled(health));
            if (wait == null || toRead.isEmpty() || stop.reason() != null) {
                break;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                timedOut = true;
                break;
            }
            try {
                pause.pause(nextPause.compareTo(left) < 0 ? nextPause : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            nextPause = nextPause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : nextPause.multipliedBy(2);
        }
        List<ObjectHealth> objects = new ArrayList<>();
        health.forEach((key, h) -> objects.add(new ObjectHealth(key, h)));
        return new HealthReport(objects, lists, Duration.between(start, clock.instant()), failing(objects, wait, timedOut));
    }

    /** One LIST per group, fresh (a shared cluster-wide LIST is dropped first), and every assessed object of it judged. */
    private void read(Clusters.Cluster cluster, Set<ListGroup> groups, Set<ResourceKey> assessed, Map<ResourceKey, Health> health) {
        Map<ListGroup, ResourceKey> anyOf = new LinkedHashMap<>();
        assessed.forEach(key -> anyOf.putIfAbsent(key.listGroup(), key));
        groups.forEach(group -> cluster.wrote(anyOf.get(group))); // a cluster-wide LIST of the run is stale for health
        Map<ResourceKey, JsonNode> live = reader.read(cluster, groups);
        for (ResourceKey key : assessed) {
            if (groups.contains(key.listGroup())) {
                health.put(key, assess(key, live.get(key)));
            }
        }
    }

    private Health assess(ResourceKey key, JsonNode object) {
        if (object == null) {
            return HealthRules.notFound();
        }
        try {
            return rules.assess(key.group(), key.kind(), object);
        } catch (RuntimeException e) { // a rule that trips on an object's shape: the state is not known, the run goes on
            return Health.unknown("Unreadable", "status could not be read: " + e.getClass().getSimpleName());
        }
    }

    private static Set<ResourceKey> unsettled(Map<ResourceKey, Health> health) {
        Set<ResourceKey> keys = new TreeSet<>();
        health.forEach((key, h) -> {
            if (h.state() == HealthState.IN_PROGRESS) {
                keys.add(key);
            }
        });
        return keys;
    }

    private static Set<ListGroup> groups(Set<ResourceKey> keys) {
        Set<ListGroup> groups = new TreeSet<>();
        keys.forEach(key -> groups.add(key.listGroup()));
        return groups;
    }

    /** The objects that fail the binding: the Failed ones, and with a wait that ran out, those still InProgress. */
    private static List<ObjectHealth> failing(List<ObjectHealth> objects, Duration wait, boolean timedOut) {
        List<ObjectHealth> failing = new ArrayList<>();
        for (ObjectHealth o : objects) {
            if (o.state() == HealthState.FAILED) {
                failing.add(o);
            } else if (o.state() == HealthState.IN_PROGRESS && timedOut) {
                failing.add(new ObjectHealth(o.key(), new Health(HealthState.IN_PROGRESS, o.health().reason(),
                        o.health().message() + " (still InProgress after " + Durations.text(wait) + ")")));
            }
        }
        return failing;
    }

    /** Durations as the config writes them ({@code 2m}, {@code 1m30s}, {@code 500ms}). */
    static final class Durations {
        private Durations() {
        }

        static String text(Duration d) {
            if (d.toMillisPart() != 0 || d.isZero()) {
                return d.toMillis() + "ms";
            }
            StringBuilder text = new StringBuilder();
            if (d.toHours() > 0) {
                text.append(d.toHours()).append('h');
            }
            if (d.toMinutesPart() > 0) {
                text.append(d.toMinutesPart()).append('m');
            }
            if (d.toSecondsPart() > 0) {
                text.append(d.toSecondsPart()).append('s');
            }
            return text.toString();
        }
    }
}
