package io.driftwarden.jobs.chart;

/** A remote chart could not be had: the repository is down, answered an error, or offers no such version. */
public class ChartException extends RuntimeException {

    public ChartException(String message) {
        super(message);
    }

    public ChartException(String message, Throwable cause) {
        super(message, cause);
    }
}
