package io.driftwarden.jobs.chart;

/**
 * A remote chart was fetched but is not trusted — its digest differs from the pinned one or the index's, its provenance
 * is missing or does not verify, its archive or a URL it names breaks a rule: the binding is refused (a {@code REFUSED}
 * row naming chart, version and reason) and nothing of it is applied.
 */
public final class ChartRefusedException extends ChartException {

    public ChartRefusedException(String message) {
        super(message);
    }
}
