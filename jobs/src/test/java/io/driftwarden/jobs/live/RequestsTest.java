package io.driftwarden.jobs.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The request policy's arithmetic: backoff with jitter, Retry-After in both of its forms, and its cap. */
class RequestsTest {

    @RepeatedTest(20)
    void theBackoffDoublesFrom250MsUpTo4sWithHalfOfItRandom() {
        long[] full = {250, 500, 1000, 2000, 4000, 4000};
        for (int attempt = 1; attempt <= full.length; attempt++) {
            assertThat(Requests.backoff(attempt).toMillis()).as("attempt %d", attempt).isBetween(full[attempt - 1] / 2, full[attempt - 1]);
        }
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(Requests.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
        String inTenSeconds = ZonedDateTime.now().plusSeconds(10).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(Requests.retryAfter(inTenSeconds)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(Requests.retryAfter("soon")).isZero();
        assertThat(Requests.retryAfter(null)).isZero();
    }

    @Test
    void aRetryAfterHoldsBackTheClusterForAtMost30Seconds() {
        Requests requests = new Requests("prod");
        assertThat(requests.held()).isZero();

        requests.holdFor(Duration.ofHours(1));

        assertThat(requests.held()).isGreaterThan(Duration.ofSeconds(25)).isLessThanOrEqualTo(Requests.MAX_RETRY_AFTER);
    }
}
