package io.driftwarden.kube;

/**
 * Where a kind's objects live — in a namespace or cluster-wide — as a fact from data: Kubernetes' Go types for built-in
 * kinds ({@code kinds[…].namespaced}), a CustomResourceDefinition's {@code spec.scope}, or a cluster's discovery. A
 * kind none of them knows is {@link Scope#UNKNOWN}, and nothing is written or deleted for it.
 */
@FunctionalInterface
public interface KindScopes {

    /** The three answers. */
    enum Scope {
        NAMESPACED, CLUSTER, UNKNOWN
    }

    /** The scope of {@code kind} in {@code apiVersion} ({@code apps/v1}, {@code Deployment}). */
    Scope scope(String apiVersion, String kind);

    /** Knows nothing: every kind is {@link Scope#UNKNOWN} (rendering with no cluster to ask). */
    static KindScopes none() {
        return (apiVersion, kind) -> Scope.UNKNOWN;
    }

    /** These scopes, and {@code next}'s answer where these do not know the kind. */
    default KindScopes orElse(KindScopes next) {
        return (apiVersion, kind) -> {
            Scope scope = scope(apiVersion, kind);
            return scope != Scope.UNKNOWN ? scope : next.scope(apiVersion, kind);
        };
    }
}
