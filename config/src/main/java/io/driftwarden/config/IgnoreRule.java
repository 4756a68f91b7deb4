package io.driftwarden.config;

import java.util.List;

/**
 * Fields the differ must not compare — JSON pointers such as {@code /spec/replicas} — on the objects a
 * selector matches (a null selector field matches anything).
 */
public record IgnoreRule(String group, String kind, String namespace, String name, List<String> jsonPointers) {

    public IgnoreRule {
        jsonPointers = List.copyOf(jsonPointers);
    }

    /** Whether the rule applies to an object of this group, kind, namespace and name. */
    public boolean matches(String objectGroup, String objectKind, String objectNamespace, String objectName) {
        return matchesField(group, objectGroup) && matchesField(kind, objectKind)
                && matchesField(namespace, objectNamespace) && matchesField(name, objectName);
    }

    private static boolean matchesField(String wanted, String actual) {
        return wanted == null || wanted.equals(actual == null ? "" : actual);
    }
}
