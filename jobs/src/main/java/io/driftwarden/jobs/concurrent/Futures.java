package io.driftwarden.jobs.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for work done on another thread. */
public final class Futures {

    private Futures() {
    }

    /** The result of {@code work}, or its failure thrown as it was raised (not wrapped in a CompletionException). */
    public static <T> T join(CompletableFuture<T> work) {
        try {
            return work.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
