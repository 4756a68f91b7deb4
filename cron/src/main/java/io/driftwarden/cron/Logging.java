package io.driftwarden.cron;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * {@code --debug}: driftwarden's own debug lines (each retry, each cut-off) and stack traces on stderr. Without it
 * logs carry messages only — a failure is reported once, by the command, with its cause. logback.xml reads the two
 * properties set here, now and when Spring Boot configures logging again as a context starts.
 */
final class Logging {

    private Logging() {
    }

    static void debug() {
        System.setProperty("driftwarden.log.level", "DEBUG");
        System.setProperty("driftwarden.log.exceptions", "%ex");
        System.setProperty("driftwarden.log.steps", "ERROR");
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                throw new IllegalStateException("cannot configure logging: " + e.getMessage(), e);
            }
        }
    }
}
