package io.driftwarden.config;

/**
 * How a run spreads its work ({@code run:} in the config). {@code parallelBindings}: bindings reconciled at the same
 * time across all clusters; null means {@link #defaultParallelBindings the default}. Each cluster's own bound
 * ({@code clusters[].maxInFlight}) caps its share.
 */
public record RunSettings(Integer parallelBindings) {

    /** No {@code run:} section: every default. */
    public static final RunSettings DEFAULTS = new RunSettings(null);

    /** The most bindings at once the default ever picks (a config may ask for more). */
    public static final int DEFAULT_CAP = 64;

    /** The bindings at once for a run over {@code clusters} clusters on {@code cores} processors. */
    public int parallelBindings(int clusters, int cores) {
        return parallelBindings != null ? parallelBindings : defaultParallelBindings(clusters, cores);
    }

    /**
     * The default: {@code min(64, max(4, 2 × cores, 2 × clusters))}. The work is waiting on API servers, not computing,
     * so it is not one per core; two per cluster lets every cluster keep a binding going while another of its bindings
     * is between requests (rendering, auditing), and four is what a single small run has always had.
     */
    public static int defaultParallelBindings(int clusters, int cores) {
        return Math.min(DEFAULT_CAP, Math.max(4, Math.max(2 * cores, 2 * clusters)));
    }
}
