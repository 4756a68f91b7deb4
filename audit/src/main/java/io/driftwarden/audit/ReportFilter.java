package io.driftwarden.audit;

import java.time.Instant;

/** Which audit rows a report or query covers; a null field does not filter, so {@link #all()} is every row. */
public record ReportFilter(Instant since, Instant until, String binding, String cluster, String runId) {

    public ReportFilter(Instant since, Instant until, String binding, String cluster) {
        this(since, until, binding, cluster, null);
    }

    public static ReportFilter all() {
        return new ReportFilter(null, null, null, null, null);
    }

    /** Every row of one run. */
    public static ReportFilter run(String runId) {
        return new ReportFilter(null, null, null, null, runId);
    }
}
