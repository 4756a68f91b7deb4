package io.driftwarden.notify.delivery;

import java.time.Duration;

/** The moment a target's delivery must be over (monotonic time), and what is left of it. */
public record Deadline(long endNanos) {

    public static Deadline in(Duration bound) {
        return new Deadline(System.nanoTime() + bound.toNanos());
    }

    public Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public boolean passed() {
        return remaining().isZero();
    }
}
