package io.driftwarden.jobs.chart;

import java.nio.file.Path;

/**
 * A remote chart ready to render: how reports name it ({@code reference}: repository, chart and version), its verified
 * {@code digest} (the {@code .tgz}'s SHA-256 for a chart repository, the manifest's for OCI), the archive in the cache,
 * and the signer when provenance was checked (null otherwise).
 */
public record ResolvedChart(String reference, String chart, String version, String digest, Path archive, String signer) {
}
