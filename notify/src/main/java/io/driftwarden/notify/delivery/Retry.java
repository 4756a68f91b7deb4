package io.driftwarden.notify.delivery;

import java.time.Duration;

/**
 * When to try a delivery again (a pure policy): after a 5xx, a 429, a timeout or a connection error, at most
 * {@link #MAX_ATTEMPTS} attempts, waiting {@code 500 ms × 2^(attempt−1)} (capped at 8 s; a 429's {@code Retry-After}
 * in seconds when it asks for longer) — and only while the wait still ends before the target's deadline. Any other 4xx
 * is the target refusing the message: trying again would not change it.
 */
public final class Retry {

    /** Attempts per message at most, the first included. */
    public static final int MAX_ATTEMPTS = 5;
    static final Duration FIRST_WAIT = Duration.ofMillis(500);
    static final Duration MAX_WAIT = Duration.ofSeconds(8);

    private Retry() {
    }

    /** Whether an HTTP answer with this status is worth another attempt. */
    public static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    /**
     * How long to wait before attempt {@code attempt + 1} after attempt {@code attempt} failed in a retryable way, or
     * null to give up: no attempt left, or the wait would not end before {@code remaining} runs out.
     * {@code retryAfter} is a 429's {@code Retry-After} (null when absent).
     */
    public static Duration nextWait(int attempt, Duration remaining, Duration retryAfter) {
        if (attempt >= MAX_ATTEMPTS) {
            return null;
        }
        Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(attempt - 1, 10));
        wait = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        return wait.compareTo(remaining) < 0 ? wait : null;
    }
}
