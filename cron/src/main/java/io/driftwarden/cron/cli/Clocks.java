package io.driftwarden.cron.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The clock the commands read "now" from: the system's (UTC). <b>Test only:</b> the system property
 * {@value #OFFSET_PROPERTY} (an ISO-8601 duration such as {@code P8D}) moves it ahead, so a story can see an exception
 * expire without waiting for it; it moves when an exception expires, a run's and a report's "now", nothing else (audit
 * rows keep the system's time). It is not a user setting and is not documented as one.
 */
public final class Clocks {

    /** The test-only system property that moves the commands' clock ahead. */
    public static final String OFFSET_PROPERTY = "driftwarden.test.clockOffset";

    private Clocks() {
    }

    /** The system clock in UTC, moved ahead by {@value #OFFSET_PROPERTY} when a test set it. */
    public static Clock system() {
        String offset = System.getProperty(OFFSET_PROPERTY);
        if (offset == null || offset.isBlank()) {
            return Clock.systemUTC();
        }
        try {
            return Clock.offset(Clock.systemUTC(), Duration.parse(offset));
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(OFFSET_PROPERTY + " must be an ISO-8601 duration such as P8D, not '" + offset + "'", e);
        }
    }
}
