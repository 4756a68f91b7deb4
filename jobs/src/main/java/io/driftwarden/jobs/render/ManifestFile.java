package io.driftwarden.jobs.render;

import java.util.function.Supplier;

/**
 * A manifest file of a commit: its Git blob id, as the commit's tree names it, and its text, read only when asked — a
 * file whose parsed documents the {@link ParsedCache} holds by that id is never read from Git nor hashed again.
 */
public record ManifestFile(String blobId, Supplier<String> content) {

    /** A file whose text is at hand; its blob id computed as Git computes it. */
    public static ManifestFile of(String content) {
        return new ManifestFile(ParsedCache.blobId(content), () -> content);
    }
}
