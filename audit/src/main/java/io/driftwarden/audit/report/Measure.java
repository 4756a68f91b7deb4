package io.driftwarden.audit.report;

import java.util.List;

/**
 * A number a report shows per cluster and binding, defined here once: its JSON field, its HTML heading and what it
 * counts. A <em>drift</em> is one object path (or a whole object, for {@code MISSING} and {@code EXTRA}) that differs
 * from Git, from the first row that reports it ({@code DETECTED}, {@code INTENT}, {@code REFUSED}, {@code EXCEPTED}, {@code EXPIRED} or an outcome)
 * until its {@code CORRECTED} row, across runs: the rows of one run and the runs that see it again before it is
 * corrected all tell the story of the same drift, so it is counted once; after its {@code CORRECTED} row the same path
 * drifting again is a new drift. Every drift found ends the range in exactly one of corrected, excepted, failed or left,
 * so {@code found = corrected + excepted + failed + left}, and {@code open = failed + left}. {@link Summary} tells the
 * drifts apart from the rows it streams; {@link Measures} counts them per binding, cluster, control and in total.
 */
public enum Measure {
    FOUND("driftsFound", "drifts found",
            "drifts first reported in the range, each once however many rows and runs report it"),
    CORRECTED("corrected", "corrected",
            "drifts found whose last row in the range is CORRECTED"),
    EXCEPTED("excepted", "excepted",
            "drifts found, not corrected, whose last row in the range is EXCEPTED (covered by an approved exception)"),
    FAILED("failed", "failed",
            "drifts found, not corrected nor excepted, whose correction was tried and FAILED at least once"),
    LEFT("left", "left in place",
            "drifts found, not corrected nor excepted, never tried (audit mode, plan, a closed window, a kept EXTRA object, REFUSED)"),
    OPEN("open", "still open",
            "drifts found that the range ends with neither corrected nor excepted: failed + left in place"),
    BINDING_FAILURES("bindingFailures", "binding failures",
            "runs in which the binding could not be reconciled at all (a FAILED row with no object: Git, render or cluster error)"),
    UNMANAGED("unmanaged", "unmanaged",
            "distinct objects reported UNMANAGED (in a managed namespace, declared by no binding)"),
    HEALTH_FAILED("healthFailed", "health failed",
            "distinct objects whose last HEALTH row in the range says Failed (kstatus: a Deployment past its progress deadline, a failed Job, a Stalled object)");

    /** The measures that partition {@link #FOUND}. */
    public static final List<Measure> OUTCOMES = List.of(CORRECTED, EXCEPTED, FAILED, LEFT);

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

    /** A drift's time to correct: from its first row to its CORRECTED row, across runs. */
    public static final String TIME_TO_CORRECT_OF_A_DRIFT = "the time from a drift's first row in the range (its first "
            + "DETECTED, or INTENT when it was corrected at once) to its CORRECTED row, across runs";

    /** Time to correct, the other measure: the mean of {@link #TIME_TO_CORRECT_OF_A_DRIFT} over the drifts corrected. */
    public static final String TIME_TO_CORRECT = "mean, over the drifts corrected, of " + TIME_TO_CORRECT_OF_A_DRIFT;

    /** The median time to correct (nearest rank). */
    public static final String TIME_TO_CORRECT_MEDIAN = "median (nearest rank: the ⌈n/2⌉-th smallest), over the n drifts "
            + "corrected, of " + TIME_TO_CORRECT_OF_A_DRIFT;

    /** The 90th percentile of the time to correct (nearest rank). */
    public static final String TIME_TO_CORRECT_P90 = "90th percentile (nearest rank: the ⌈0.9·n⌉-th smallest), over the n "
            + "drifts corrected, of " + TIME_TO_CORRECT_OF_A_DRIFT;

    /** Recurrence. */
    public static final String RECURRENCE = "object paths (a path of one object, or the whole object) that drifted at least N "
            + "times in the range: N drifts of the same path, each ended by its correction before the next began";

    /** Coverage. */
    public static final String COVERAGE = "managed / (managed + unmanaged), in percent: managed = the objects in the binding's "
            + "inventory now (what its enforcing runs applied); unmanaged = the distinct objects its latest run in the range "
            + "that read the cluster reported UNMANAGED (in its namespaces, declared by no binding); none when both are 0";
}
