package io.driftwarden.kube;

import java.util.Locale;

/**
 * The resource name (plural) of a built-in kind: Kubernetes' own rule (apimachinery
 * {@code meta.UnsafeGuessKindToResource}: lower case, "s" → "ses", "y" → "ies", else "+s") and its one built-in
 * exception, Endpoints. A custom kind's plural is not guessed: its CustomResourceDefinition names it.
 */
public final class Plurals {

    private Plurals() {
    }

    /** The plural of built-in {@code kind} ({@code Deployment} → {@code deployments}, {@code Ingress} → {@code ingresses}). */
    public static String of(String kind) {
        String singular = kind.toLowerCase(Locale.ROOT);
        if (singular.equals("endpoints")) {
            return singular;
        }
        if (singular.endsWith("s")) {
            return singular + "es";
        }
        if (singular.endsWith("y")) {
            return singular.substring(0, singular.length() - 1) + "ies";
        }
        return singular + "s";
    }
}
