package io.driftwarden.config;

/** A Git repository to read desired state from, at a ref (branch, tag or full commit SHA). */
public record SourceSpec(String name, String url, String ref) {
}
