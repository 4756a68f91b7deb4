package io.driftwarden.config;

import java.util.List;

/**
 * The field managers whose live-only fields count as hand changes (DESIGN.md diff rule 2). A pattern is a
 * manager name, or a prefix ending in {@code *}. The default is kubectl: {@code kubectl} and every
 * {@code kubectl-…} manager its commands use ({@code kubectl-edit}, {@code kubectl-set}, {@code kubectl-label} …).
 */
public record DriftManagers(List<String> patterns) {

    public static final DriftManagers KUBECTL = new DriftManagers(List.of("kubectl", "kubectl-*"));

    public DriftManagers {
        patterns = List.copyOf(patterns);
    }

    public boolean matches(String manager) {
        for (String pattern : patterns) {
            if (pattern.endsWith("*") ? manager.startsWith(pattern.substring(0, pattern.length() - 1)) : manager.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** Why a pattern is not valid, or null when it is. */
    static String problem(String pattern) {
        if (pattern.isBlank()) {
            return "a drift manager pattern must not be empty";
        }
        int star = pattern.indexOf('*');
        return star >= 0 && star != pattern.length() - 1 ? "'" + pattern + "': '*' may only end a pattern (kubectl-*)" : null;
    }
}
