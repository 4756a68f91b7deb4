package io.driftwarden.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;

/** When a delivery is tried again, and how long it waits. */
class RetryTest {

    @ParameterizedTest(name = "HTTP {0} retried: {1}")
    @CsvSource({"500, true", "502, true", "503, true", "429, true", "400, false", "401, false", "403, false", "404, false",
        "410, false", "413, false", "301, false"})
    void retriesServerErrorsAndTooManyRequestsOnly(int status, boolean retried) {
        assertThat(Retry.retryable(status)).isEqualTo(retried);
    }

    static Stream<Arguments> waits() {
        Duration plenty = Duration.ofMinutes(5);
        return Stream.of(
                Arguments.of(1, plenty, null, Duration.ofMillis(500)),
                Arguments.of(2, plenty, null, Duration.ofSeconds(1)),
                Arguments.of(3, plenty, null, Duration.ofSeconds(2)),
                Arguments.of(4, plenty, null, Duration.ofSeconds(4)),
                // the last attempt has been made
                Arguments.of(Retry.MAX_ATTEMPTS, plenty, null, null),
                // a wait that would outlast the deadline is not taken
                Arguments.of(1, Duration.ofMillis(400), null, null),
                Arguments.of(3, Duration.ofMillis(2500), null, Duration.ofSeconds(2)),
                // a 429's Retry-After when it asks for longer, still within the deadline
                Arguments.of(1, plenty, Duration.ofSeconds(3), Duration.ofSeconds(3)),
                Arguments.of(1, Duration.ofSeconds(2), Duration.ofSeconds(3), null),
                Arguments.of(4, plenty, Duration.ofSeconds(1), Duration.ofSeconds(4)));
    }

    @ParameterizedTest(name = "after attempt {0} with {1} left (Retry-After {2}): wait {3}")
    @MethodSource("waits")
    void backsOffExponentiallyWithinTheDeadline(int attempt, Duration remaining, Duration retryAfter, Duration wait) {
        assertThat(Retry.nextWait(attempt, remaining, retryAfter)).isEqualTo(wait);
    }
}
