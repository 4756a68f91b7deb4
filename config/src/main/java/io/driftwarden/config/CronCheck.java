package io.driftwarden.config;

/**
 * Checks a cron expression for the config validation: returns what is wrong with it, or null when it is valid. The
 * scheduler that runs the crons supplies it (the {@code cron} module, with Quartz's own parser), so the config is
 * refused by the rules it will run under.
 */
@FunctionalInterface
public interface CronCheck {

    /** Accepts every expression: for callers that never schedule (tests, {@code jobs}). */
    CronCheck NONE = expression -> null;

    String problem(String expression);
}
