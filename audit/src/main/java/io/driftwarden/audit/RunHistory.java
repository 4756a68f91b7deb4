package io.driftwarden.audit;

import java.time.Instant;
import java.util.List;

/** One finished run as {@code history} shows it, with the rows it wrote counted per binding. */
public record RunHistory(String runId, String trigger, String mode, Instant startedAt, Instant finishedAt, int exitCode,
                         List<BindingCounts> bindings) {

    /**
     * Drifts found ({@code DETECTED} and {@code INTENT} rows), corrected, failed and unmanaged rows of one binding, and
     * its objects whose health was {@code Failed} ({@code HEALTH} rows).
     */
    public record BindingCounts(String binding, long drifts, long corrected, long failed, long unmanaged, long healthFailed) {

        public BindingCounts(String binding, long drifts, long corrected, long failed, long unmanaged) {
            this(binding, drifts, corrected, failed, unmanaged, 0);
        }
    }
}
