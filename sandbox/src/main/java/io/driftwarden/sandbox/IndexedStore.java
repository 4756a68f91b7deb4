package io.driftwarden.sandbox;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The sandbox's object store: fabric8's CRUD mock keeps objects in a map it filters entry by entry on every request,
 * so a GET, a LIST of one namespace or an apply cost as much as the whole store. This map keeps an index by
 * resource (plural), namespace and name; while a request is answered ({@link #narrowedTo}) the entries it hands out
 * are only those that can match that request's attributes — a superset of the matches, which the mock then filters
 * as before. So a request costs what the objects of its kind and namespace cost, as on a real API server (etcd
 * ranges by key prefix), whatever else is stored.
 */
final class IndexedStore extends AbstractMap<AttributeSet, String> {

    private static final String PLURAL = "plural";
    private static final String NAMESPACE = "namespace";
    private static final String NAME = "name";
    /** The bucket of keys without that attribute: they can match a query that names one. */
    private static final String NONE = "\u0000";

    private final Map<AttributeSet, String> entries = new LinkedHashMap<>();
    private final Map<String, Map<String, Map<String, Set<AttributeSet>>>> index = new HashMap<>();
    private final ThreadLocal<AttributeSet> query = new ThreadLocal<>();

    /** Runs {@code work} (one request of the mock) with the entries narrowed to those that can match {@code attributes}. */
    <T> T narrowedTo(AttributeSet attributes, Supplier<T> work) {
        AttributeSet previous = query.get();
        query.set(attributes);
        try {
            return work.get();
        } finally {
            query.set(previous);
        }
    }

    @Override
    public synchronized Set<Entry<AttributeSet, String>> entrySet() {
        AttributeSet narrowed = query.get();
        Collection<AttributeSet> keys = narrowed == null ? entries.keySet() : candidates(narrowed);
        Set<Entry<AttributeSet, String>> snapshot = new LinkedHashSet<>();
        for (AttributeSet key : keys) {
            snapshot.add(new SimpleImmutableEntry<>(key, entries.get(key)));
        }
        return snapshot;
    }

    @Override
    public synchronized String put(AttributeSet key, String value) {
        String previous = entries.put(key, value);
        if (previous == null) {
            index.computeIfAbsent(value(key, PLURAL), p -> new HashMap<>()).computeIfAbsent(value(key, NAMESPACE), n -> new HashMap<>())
                    .computeIfAbsent(value(key, NAME), n -> new LinkedHashSet<>()).add(key);
        }
        return previous;
    }

    @Override
    public synchronized String remove(Object key) {
        String previous = entries.remove(key);
        if (previous != null && key instanceof AttributeSet set) {
            Map<String, Map<String, Set<AttributeSet>>> namespaces = index.get(value(set, PLURAL));
            Map<String, Set<AttributeSet>> names = namespaces == null ? null : namespaces.get(value(set, NAMESPACE));
            Set<AttributeSet> keys = names == null ? null : names.get(value(set, NAME));
            if (keys != null) {
                keys.remove(set);
                if (keys.isEmpty()) {
                    names.remove(value(set, NAME));
                }
            }
        }
        return previous;
    }

    @Override
    public synchronized String get(Object key) {
        return entries.get(key);
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public synchronized int size() {
        return entries.size();
    }

    @Override
    public synchronized void clear() {
        entries.clear();
        index.clear();
    }

    /** The keys that can match {@code attributes}: by its plural, namespace and name when it asks for exactly one. */
    private List<AttributeSet> candidates(AttributeSet attributes) {
        String plural = exact(attributes, PLURAL);
        if (plural == null) {
            return new ArrayList<>(entries.keySet());
        }
        String namespace = exact(attributes, NAMESPACE);
        String name = exact(attributes, NAME);
        List<AttributeSet> keys = new ArrayList<>();
        for (String p : List.of(plural, NONE)) {
            Map<String, Map<String, Set<AttributeSet>>> namespaces = index.getOrDefault(p, Map.of());
            Collection<Map<String, Set<AttributeSet>>> inNamespaces = namespace == null ? namespaces.values()
                    : List.of(namespaces.getOrDefault(namespace, Map.of()), namespaces.getOrDefault(NONE, Map.of()));
            for (Map<String, Set<AttributeSet>> names : inNamespaces) {
                if (name == null) {
                    names.values().forEach(keys::addAll);
                } else {
                    keys.addAll(names.getOrDefault(name, Set.of()));
                    keys.addAll(names.getOrDefault(NONE, Set.of()));
                }
            }
        }
        return keys;
    }

    /** The attribute's single value when the query asks for it to equal that value; null otherwise. */
    private static String exact(AttributeSet attributes, String key) {
        Attribute attribute = attributes.getAttribute(key);
        if (attribute == null || attribute.getType() != AttributeType.WITH || attribute.getValues().size() != 1) {
            return null;
        }
        return attribute.getValues().get(0).toString();
    }

    /** A stored key's value of an attribute, or {@link #NONE}. */
    private static String value(AttributeSet key, String name) {
        String value = exact(key, name);
        return value == null ? NONE : value;
    }
}
