package io.driftwarden.jobs.source;

/** A source resolved for one run: the repository URL, the ref asked for, and the full 40-character commit SHA. */
public record SourceRevision(String url, String ref, String commit) {
}
