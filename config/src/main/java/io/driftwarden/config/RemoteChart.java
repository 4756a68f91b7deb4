package io.driftwarden.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A Helm chart a binding renders from a chart repository ({@code https://…}, Helm's {@code index.yaml}) or an OCI
 * registry ({@code oci://host/path}) instead of from its Git path: {@code chart} at exactly {@code version}, its
 * {@code digest} ({@code sha256:…} of the {@code .tgz} for a repository, of the manifest for OCI) checked when given,
 * its provenance checked against {@code keyring} when set. Credentials are references: basic auth ({@code username},
 * {@code password}) or a bearer {@code token}; {@code caFile} trusts a private CA instead of the JVM's; {@code timeout}
 * bounds each request; {@code plainHttp} lets an OCI registry be spoken to without TLS (a loopback or in-cluster
 * registry). {@code origin} is where the binding's {@code helm:} is written ({@code file:line}).
 */
public record RemoteChart(String repository, String chart, String version, String digest, Path keyring, SecretRef username,
                          SecretRef password, SecretRef token, Path caFile, Duration timeout, boolean plainHttp, String origin) {

    /** How long one request to a chart repository may take unless the binding says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** An exact SemVer 2 version (semver.org's own expression): what {@code version} must be. */
    public static final Pattern EXACT_VERSION = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    /** A SHA-256 digest as OCI and Helm write one. */
    public static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    /** A chart name: one path segment of letters, digits, {@code .}, {@code _}, {@code -}, starting with a letter or digit. */
    public static final Pattern CHART_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    /** Whether the chart comes from an OCI registry. */
    public boolean oci() {
        return repository.startsWith("oci://");
    }

    /** The repository as an http(s) URI: {@code oci://} becomes {@code https://} (or {@code http://} with {@code plainHttp}). */
    public URI base() {
        if (oci()) {
            return URI.create((plainHttp ? "http://" : "https://") + repository.substring("oci://".length()));
        }
        return URI.create(repository.endsWith("/") ? repository : repository + "/");
    }

    /** How reports name the chart: {@code oci://host/path/chart:version}, or {@code https://host/path chart@version}. */
    public String reference() {
        String trimmed = repository.replaceAll("/+$", "");
        return oci() ? trimmed + "/" + chart + ":" + version : trimmed + " " + chart + "@" + version;
    }

    /** Why {@code text} is not an exact version, or null: ranges, wildcards and {@code latest} are refused. */
    public static String versionProblem(String text) {
        if (text == null || EXACT_VERSION.matcher(text).matches()) {
            return null;
        }
        return "helm.version must be an exact version such as 4.11.3, not '" + text + "' (ranges, wildcards, a leading v and "
                + "'latest' are refused: a run must not change what it applies because a repository published something)";
    }
}
