package io.driftwarden.audit.report;

import io.driftwarden.config.ExceptionSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The config's approved exceptions as a report lists them at {@code asOf}: active, expiring (active, ending within
 * {@link Measure#EXPIRING_WITHIN_DAYS} days) and expired — three disjoint lists, each in config order. An exception
 * covers drift up to the end of its {@code expires} day, UTC.
 */
public record ExceptionStatus(Instant asOf, List<ExceptionSpec> active, List<ExceptionSpec> expiring, List<ExceptionSpec> expired) {

    /** No exceptions configured (or none given to the report). */
    public static final ExceptionStatus NONE = new ExceptionStatus(null, List.of(), List.of(), List.of());

    public ExceptionStatus {
        active = List.copyOf(active);
        expiring = List.copyOf(expiring);
        expired = List.copyOf(expired);
    }

    /** Sorts {@code exceptions} by where they stand at {@code now}. */
    public static ExceptionStatus of(List<ExceptionSpec> exceptions, Instant now) {
        List<ExceptionSpec> active = new ArrayList<>();
        List<ExceptionSpec> expiring = new ArrayList<>();
        List<ExceptionSpec> expired = new ArrayList<>();
        Instant soon = now.plus(Measure.EXPIRING_WITHIN_DAYS, ChronoUnit.DAYS);
        for (ExceptionSpec exception : exceptions) {
            if (!exception.activeAt(now)) {
                expired.add(exception);
            } else if (!exception.end().isAfter(soon)) {
                expiring.add(exception);
            } else {
                active.add(exception);
            }
        }
        return new ExceptionStatus(now, active, expiring, expired);
    }
}
