package io.driftwarden.config;

import java.util.List;

/**
 * The config's approved exceptions, in config order, and how far ahead one may expire ({@code exceptionPolicy.maxDays},
 * default {@value #DEFAULT_MAX_DAYS} days from the day the config is validated).
 */
public record ExceptionRules(int maxDays, List<ExceptionSpec> exceptions) {

    public static final int DEFAULT_MAX_DAYS = 90;

    /** No exceptions, the default policy. */
    public static final ExceptionRules NONE = new ExceptionRules(DEFAULT_MAX_DAYS, List.of());

    public ExceptionRules {
        exceptions = List.copyOf(exceptions);
    }
}
