/**
 * Remote Helm charts: a binding's {@code helm.repository} (a chart repository's {@code index.yaml}, or an OCI registry
 * spoken to by the distribution spec) asked for one chart at one exact version, the archive checked against the pinned
 * digest and, with a keyring, against its signed provenance, then kept in a cache by digest beside the Git mirrors so
 * that a steady run makes no request. Every URL a repository names is held to the configured repository's scheme, host
 * and port ({@link io.driftwarden.jobs.chart.RepositoryPolicy}); archives are unpacked with Helm's own limits and no
 * link, device or path that leaves the folder ({@link io.driftwarden.jobs.chart.ChartArchive}). A chart's dependencies
 * are never fetched: they must be vendored in its {@code charts/} folder.
 */
package io.driftwarden.jobs.chart;
