package io.driftwarden.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link SourceReader#servedBy}: when an earlier fetch of a source may serve a run instead of a fetch of its own. */
class FetchServesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", textBlock = """
            # case,                                                               fetch started,          run asked for,          served
            the fetch started after the push that asked for the run,             2026-12-03T02:00:01Z,   2026-12-03T02:00:00Z,   true
            the fetch started the instant the run was asked for,                 2026-12-03T02:00:00Z,   2026-12-03T02:00:00Z,   true
            threat: a fetch from before the push would hide the pushed commit,   2026-12-03T01:59:59Z,   2026-12-03T02:00:00Z,   false
            threat: a fetch from long ago (a mirror another run left),           2026-11-01T00:00:00Z,   2026-12-03T02:00:00Z,   false
            a one-shot run asks for no earlier fetch: it always fetches,         2026-12-03T02:00:01Z,   -,                      false
            nothing was fetched in this process yet,                             -,                      2026-12-03T02:00:00Z,   false
            """)
    void aFetchServesARunOnlyWhenItStartedAtOrAfterTheRunWasAskedFor(String name, Instant fetchStarted, Instant requestedAt, boolean served) {
        assertThat(SourceReader.servedBy(fetchStarted, requestedAt)).isEqualTo(served);
    }
}
