package io.driftwarden.jobs.resource;

import java.util.Collection;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

/** Names one Kubernetes object. {@code namespace} is empty for cluster-scoped objects. */
public record ResourceKey(String group, String version, String kind, String namespace, String name)
        implements Comparable<ResourceKey> {

    private static final Comparator<ResourceKey> ORDER = Comparator.comparing(ResourceKey::group)
            .thenComparing(ResourceKey::kind).thenComparing(ResourceKey::namespace).thenComparing(ResourceKey::name);

    /** {@code apps/v1}, or {@code v1} for the core group. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code Kind/namespace/name}, or {@code Kind/name} when cluster-scoped: how reports and errors name it. */
    public String subject() {
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }

    /** The (apiVersion, kind, namespace) list this object is read with. */
    public ListGroup listGroup() {
        return new ListGroup(apiVersion(), kind, namespace);
    }

    /** The distinct list groups of a set of desired objects: one LIST request each. */
    public static Set<ListGroup> groupsOf(Collection<DesiredObject> desired) {
        Set<ListGroup> groups = new TreeSet<>();
        desired.forEach(object -> groups.add(object.key().listGroup()));
        return groups;
    }

    /** Splits an apiVersion into group and version. */
    public static ResourceKey of(String apiVersion, String kind, String namespace, String name) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        return new ResourceKey(group, version, kind, namespace == null ? "" : namespace, name);
    }

    @Override
    public int compareTo(ResourceKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return subject();
    }

    /** One LIST request: every object of a kind in a namespace (or cluster-wide when the namespace is empty). */
    public record ListGroup(String apiVersion, String kind, String namespace) implements Comparable<ListGroup> {
        private static final Comparator<ListGroup> ORDER = Comparator.comparing(ListGroup::apiVersion)
                .thenComparing(ListGroup::kind).thenComparing(ListGroup::namespace);

        @Override
        public int compareTo(ListGroup other) {
            return ORDER.compare(this, other);
        }
    }
}
