package io.driftwarden.jobs.lifecycle;

import io.driftwarden.jobs.BindingResult;
import java.util.List;

/** The exit codes scripts rely on, and their priority when several apply: 64, then 1, then 2. */
public final class ExitCodes {

    /** Every binding in sync at the end (corrections count as success). */
    public static final int OK = 0;
    /** A binding or a correction failed. */
    public static final int FAILED = 1;
    /** Drift found and left in place. */
    public static final int DRIFT = 2;
    /** Bad usage or invalid config. */
    public static final int USAGE = 64;

    private ExitCodes() {
    }

    public static int of(List<BindingResult> results) {
        if (results.stream().anyMatch(BindingResult::failed)) {
            return FAILED;
        }
        return results.stream().anyMatch(BindingResult::driftLeft) ? DRIFT : OK;
    }
}
