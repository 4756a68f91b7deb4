package io.driftwarden.jobs.lifecycle;

import java.util.Optional;

/** Who may reconcile a binding now: a run takes a binding's lease before it starts it and gives it up after. */
public interface BindingLeases {

    /** Takes {@code binding}'s lease: empty when this run holds it now, else who does. */
    Optional<String> acquire(String binding);

    /** Gives up {@code binding}'s lease. */
    void release(String binding);

    /** No leases: every binding is free (a single process on a private store; unit tests). */
    static BindingLeases none() {
        return new BindingLeases() {
            @Override
            public Optional<String> acquire(String binding) {
                return Optional.empty();
            }

            @Override
            public void release(String binding) {
            }
        };
    }
}
