package io.driftwarden.audit.report;

import java.util.List;

/**
 * A number a report shows per cluster and binding, defined here once: its JSON field, its HTML heading and what it
 * counts. A <em>drift</em> is one object path (or a whole object, for {@code MISSING} and {@code EXTRA}) that differs
 * from Git, from the first row that reports it ({@code DETECTED}, {@code INTENT}, {@code REFUSED}, {@code EXCEPTED}, {@code EXPIRED} or an outcome)
 * until its {@code CORRECTED} row, across runs: the rows of one run and the runs that see it again before it is
 * corrected all tell the story of the same drift, so it is counted once. Every drift found ends the range in exactly
 * one of corrected, failed, excepted or left, so {@code found = corrected + failed + excepted + left}.
 */
public enum Measure {
    FOUND("driftsFound", "drifts found",
            "drifts first reported in the range, each once however many rows and runs report it"),
    CORRECTED("corrected", "corrected",
            "drifts found whose last row in the range is CORRECTED"),
    FAILED("failed", "failed",
            "drifts found and not corrected whose correction was tried and FAILED at least once"),
    EXCEPTED("excepted", "excepted",
            "drifts found, not corrected, whose last row in the range is EXCEPTED: an approved exception that had not expired covered them"),
    LEFT("left", "left in place",
            "drifts found, not corrected, never tried (audit mode, plan, a closed window, a kept EXTRA object, REFUSED)"),
    BINDING_FAILURES("bindingFailures", "binding failures",
            "runs in which the binding could not be reconciled at all (a FAILED row with no object: Git, render or cluster error)"),
    UNMANAGED("unmanaged", "unmanaged",
            "distinct objects reported UNMANAGED (in a managed namespace, declared by no binding)"),
    HEALTH_FAILED("healthFailed", "health failed",
            "distinct objects whose last HEALTH row in the range says Failed (kstatus: a Deployment past its progress deadline, a failed Job, a Stalled object)");

    /** The measures that partition {@link #FOUND}. */
    public static final List<Measure> OUTCOMES = List.of(CORRECTED, FAILED, EXCEPTED, LEFT);

    /** An active exception that ends within this many days is listed as expiring soon (reports' exceptions section). */
    public static final int EXPIRING_WITHIN_DAYS = 14;

    private final String key;
    private final String label;
    private final String definition;

    Measure(String key, String label, String definition) {
        this.key = key;
        this.label = label;
        this.definition = definition;
    }

    /** The JSON field. */
    public String key() {
        return key;
    }

    /** The HTML heading. */
    public String label() {
        return label;
    }

    /** What it counts, in one sentence (the README's words). */
    public String definition() {
        return definition;
    }

    /** Time to correct, the other measure: from a drift's first row to its CORRECTED row, across runs. */
    public static final String TIME_TO_CORRECT = "mean, over the drifts corrected, of the time from a drift's first row "
            + "(its first DETECTED, or INTENT when it was corrected at once) to its CORRECTED row, across runs";
}
