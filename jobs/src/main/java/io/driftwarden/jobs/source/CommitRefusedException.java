package io.driftwarden.jobs.source;

/** A commit the source's policy does not trust (unsigned, signed by an unknown key, a refused force-push): nothing is applied. */
public final class CommitRefusedException extends SourceException {

    public CommitRefusedException(String message) {
        super(message);
    }
}
