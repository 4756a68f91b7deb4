package io.driftwarden.jobs.chart;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Which URLs a remote chart may make us fetch: a pure function of the configured repository and the URL a server or an
 * index names. Only the configured repository's scheme, host and port are contacted (so a hostile index, redirect or
 * chart cannot reach {@code file://}, a cloud metadata address, or another host), with no credentials in the URL and no
 * {@code ..} segment (plain or percent-encoded). One exception, for content-addressed OCI blobs only: an {@code https}
 * redirect to another host (registries serve blobs from a CDN), followed without credentials and checked against the
 * blob's digest.
 */
public final class RepositoryPolicy {

    private RepositoryPolicy() {
    }

    /** Why {@code target} may not be fetched for the repository at {@code base}, or null when it may. */
    public static String problem(URI base, URI target) {
        if (target.getScheme() == null || !List.of("http", "https").contains(target.getScheme().toLowerCase(Locale.ROOT))) {
            return "'" + target + "' is not http(s): only the configured repository " + origin(base) + " is contacted";
        }
        if (target.getRawUserInfo() != null) {
            return "'" + redacted(target) + "' carries credentials in the URL: refused";
        }
        String dotDot = dotDotProblem(target);
        if (dotDot != null) {
            return dotDot;
        }
        if (!sameOrigin(base, target)) {
            return "'" + target + "' is not on the configured repository " + origin(base) + ": only that repository is contacted";
        }
        return null;
    }

    /**
     * Why an OCI blob may not be fetched from {@code target}, the {@code Location} of a redirect the registry answered:
     * on the registry by {@link #problem}, or elsewhere only over https (the blob is checked against its digest).
     */
    public static String blobRedirectProblem(URI registry, URI target) {
        if (target.getScheme() != null && target.getScheme().equalsIgnoreCase("https") && !sameOrigin(registry, target)
                && target.getRawUserInfo() == null && target.getHost() != null) {
            return dotDotProblem(target);
        }
        return problem(registry, target);
    }

    /** Whether {@code a} and {@code b} share scheme, host and port (a missing port is the scheme's default). */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && b.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && b.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    /** {@code url} resolved against {@code against}, or null when it is not a URL. */
    public static URI resolve(URI against, String url) {
        try {
            return against.resolve(new URI(url.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String dotDotProblem(URI target) {
        String path = String.valueOf(target.getRawPath()).toLowerCase(Locale.ROOT).replace("%2e", ".").replace("%2f", "/")
                .replace("%5c", "/").replace('\\', '/');
        if (List.of(path.split("/")).contains("..")) {
            return "'" + target + "' holds a '..' segment: refused";
        }
        return null;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String origin(URI base) {
        return base.getScheme() + "://" + base.getHost() + (base.getPort() == -1 ? "" : ":" + base.getPort());
    }

    private static String redacted(URI uri) {
        return uri.getScheme() + "://***@" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }
}
