package io.driftwarden.jobs.source;

/** A source that cannot be fetched or read: missing repository, unknown ref, missing path, a symlink. */
public class SourceException extends RuntimeException {

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceException(String message) {
        super(message);
    }
}
