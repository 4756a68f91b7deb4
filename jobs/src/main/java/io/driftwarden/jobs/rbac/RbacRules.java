package io.driftwarden.jobs.rbac;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.jobs.apply.Applier;
import io.driftwarden.jobs.resource.DesiredObject;
import io.driftwarden.jobs.resource.ResourceKey;
import io.driftwarden.jobs.tenancy.Tenancy;
import io.driftwarden.kube.Plurals;
import io.driftwarden.kube.Schemas;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The grants a run of some bindings needs, derived from what it sends: a LIST per kind and namespace (paged) →
 * {@code list}; server-side apply (which may create), its dry-run and the JSON-patch removal → {@code patch} and
 * {@code create}; prune and {@code driftwarden.io/replace} → {@code delete} (and, when the inventory is read, {@code list}
 * and {@code delete} on whatever it holds, so that a prune still works after a kind left Git entirely); the wait for a new
 * CustomResourceDefinition to be Established → {@code get}, {@code list}, {@code watch}; and the Namespaces LIST every
 * binding sends. Objects the tenancy gate would refuse (outside {@code allowNamespaces}, cluster-scoped kinds not
 * allowed) get nothing.
 */
public final class RbacRules {

    static final Set<String> WRITE = Set.of("list", "patch", "create");

    /** One rule's target: an API group ({@code ""} for the core group) and a resource (plural). */
    public record Resource(String apiGroup, String resource) implements Comparable<Resource> {
        @Override
        public int compareTo(Resource other) {
            return Comparator.comparing(Resource::apiGroup).thenComparing(Resource::resource).compare(this, other);
        }
    }

    /**
     * What to derive grants from: one binding, whether its cluster is listed by label, its rendered objects, and the
     * objects its inventory holds (those a prune would delete when they have left Git; empty when not read).
     */
    public record Rendered(BindingSpec binding, boolean listByLabel, List<DesiredObject> objects, List<ResourceKey> held) {
        public Rendered {
            objects = List.copyOf(objects);
            held = List.copyOf(held);
        }

        /** A binding whose inventory is not read. */
        public Rendered(BindingSpec binding, boolean listByLabel, List<DesiredObject> objects) {
            this(binding, listByLabel, objects, List.of());
        }
    }

    /**
     * The grants: per namespace the verbs per resource (a Role each), cluster-wide the same (a ClusterRole); the
     * problems that make them wrong (a kind without a known plural) and the notes on what they leave out (a binding
     * that prunes Namespaces lists every namespaced kind in one first).
     */
    public record Grants(SortedMap<String, SortedMap<Resource, SortedSet<String>>> namespaced,
                         SortedMap<Resource, SortedSet<String>> clusterWide, List<String> problems, List<String> notes) {
    }

    private RbacRules() {
    }

    /** The grants the runs of {@code bindings} need. */
    public static Grants of(List<Rendered> bindings) {
        SortedMap<String, SortedMap<Resource, SortedSet<String>>> namespaced = new TreeMap<>();
        SortedMap<Resource, SortedSet<String>> clusterWide = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        grant(clusterWide, new Resource("", "namespaces"), Set.of("list")); // every binding reads the Namespaces
        for (Rendered rendered : bindings) {
            BindingSpec binding = rendered.binding();
            if (binding.pruneNamespaces()) {
                notes.add("binding " + binding.name() + " prunes Namespaces: before deleting one it lists every namespaced "
                        + "kind the cluster serves in it, which these rules do not grant");
            }
            for (DesiredObject object : rendered.objects()) {
                ResourceKey key = object.key();
                String plural = plural(key, rendered.objects());
                if (plural == null) {
                    problems.add("binding " + binding.name() + ": no plural known for " + key.kind() + " (" + key.apiVersion()
                            + "), " + object.origin() + ": not a Kubernetes kind, and no CustomResourceDefinition in the binding declares it");
                    continue;
                }
                Resource resource = new Resource(key.group(), plural);
                Set<String> verbs = new TreeSet<>(WRITE);
                if (binding.prune() || replaceable(object)) {
                    verbs.add("delete");
                }
                if (key.namespace().isEmpty()) {
                    if (Tenancy.allowsClusterKind(binding, key) || Tenancy.isOwnNamespace(binding, key)) {
                        grant(clusterWide, resource, verbs);
                        if (key.kind().equals("CustomResourceDefinition")) {
                            grant(clusterWide, resource, Set.of("get", "watch")); // the Established wait
                        }
                    }
                } else if (binding.allowNamespaces().contains(key.namespace())) {
                    grant(namespaced.computeIfAbsent(key.namespace(), n -> new TreeMap<>()), resource, verbs);
                    if (rendered.listByLabel()) {
                        grant(clusterWide, resource, Set.of("list")); // one labelled LIST across all namespaces
                    }
                }
            }
            if (binding.prune()) {
                heldForPrune(rendered, namespaced, clusterWide, problems);
            }
        }
        return new Grants(namespaced, clusterWide, List.copyOf(problems), List.copyOf(notes));
    }

    /**
     * What a prune of the binding's inventory sends for objects that left Git — the LIST of their kind that finds them
     * and their DELETE — even when their kind has left Git entirely. A Namespace only with {@code pruneNamespaces}.
     */
    private static void heldForPrune(Rendered rendered, SortedMap<String, SortedMap<Resource, SortedSet<String>>> namespaced,
                                     SortedMap<Resource, SortedSet<String>> clusterWide, List<String> problems) {
        BindingSpec binding = rendered.binding();
        for (ResourceKey key : rendered.held()) {
            if (key.group().isEmpty() && key.kind().equals("Namespace") && !binding.pruneNamespaces()) {
                continue;
            }
            String plural = plural(key, rendered.objects());
            if (plural == null) {
                problems.add("binding " + binding.name() + ": its inventory holds " + key.subject() + " (" + key.apiVersion()
                        + "), whose plural is not known: its CustomResourceDefinition is not in the binding any more");
                continue;
            }
            Resource resource = new Resource(key.group(), plural);
            if (key.namespace().isEmpty()) {
                if (Tenancy.allowsClusterKind(binding, key) || Tenancy.isOwnNamespace(binding, key)) {
                    grant(clusterWide, resource, Set.of("list", "delete"));
                }
            } else if (binding.allowNamespaces().contains(key.namespace())) {
                grant(namespaced.computeIfAbsent(key.namespace(), n -> new TreeMap<>()), resource, Set.of("list", "delete"));
            }
        }
    }

    /** A built-in kind's plural by Kubernetes' rule; a custom kind's from a definition among {@code objects}; else null. */
    static String plural(ResourceKey key, List<DesiredObject> objects) {
        if (Schemas.builtin().knows(key.apiVersion(), key.kind())
                || key.apiVersion().equals("apiextensions.k8s.io/v1") && key.kind().equals("CustomResourceDefinition")) {
            return Plurals.of(key.kind());
        }
        for (DesiredObject object : objects) {
            JsonNode spec = object.manifest().path("spec");
            if (object.key().kind().equals("CustomResourceDefinition") && spec.path("group").asString("").equals(key.group())
                    && spec.path("names").path("kind").asString("").equals(key.kind())) {
                String plural = spec.path("names").path("plural").asString("");
                return plural.isEmpty() ? null : plural;
            }
        }
        return null;
    }

    private static boolean replaceable(DesiredObject object) {
        return object.manifest().path("metadata").path("annotations").path(Applier.REPLACE_ANNOTATION).asString("").equals("true");
    }

    private static void grant(Map<Resource, SortedSet<String>> rules, Resource resource, Set<String> verbs) {
        rules.computeIfAbsent(resource, r -> new TreeSet<>()).addAll(verbs);
    }
}
