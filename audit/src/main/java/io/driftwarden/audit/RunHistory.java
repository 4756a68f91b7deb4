package io.driftwarden.audit;

import java.time.Instant;
import java.util.List;

/** One finished run as {@code history} shows it, with the rows it wrote counted per binding. */
public record RunHistory(String runId, String trigger, String mode, Instant startedAt, Instant finishedAt, int exitCode,
                         List<BindingCounts> bindings) {

    /**
     * Drifts found ({@code DETECTED} and {@code INTENT} rows), corrected, failed and unmanaged rows of one binding, its
     * objects whose health was {@code Failed} ({@code HEALTH} rows), and its drifts an active exception held
     * ({@code EXCEPTED} rows: not counted as drifts, as a run does not).
     */
    public record BindingCounts(String binding, long drifts, long corrected, long failed, long unmanaged, long healthFailed,
                                long excepted) {

        public BindingCounts(String binding, long drifts, long corrected, long failed, long unmanaged, long healthFailed) {
            this(binding, drifts, corrected, failed, unmanaged, healthFailed, 0);
        }

        public BindingCounts(String binding, long drifts, long corrected, long failed, long unmanaged) {
            this(binding, drifts, corrected, failed, unmanaged, 0, 0);
        }
    }
}
