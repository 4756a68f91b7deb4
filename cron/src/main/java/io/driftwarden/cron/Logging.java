package io.driftwarden.cron;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format json} and {@code --debug}: driftwarden's own debug lines (each retry, each cut-off) and stack traces on stderr. Without it
 * logs carry messages only — a failure is reported once, by the command, with its cause. logback.xml reads the two
 * properties set here. Spring Boot's logging system is off ({@link Main}), so nothing configures logback again.
 */
final class Logging {

    private static boolean json;

    private Logging() {
    }

    static void debug() {
        System.setProperty("driftwarden.log.level", "DEBUG");
        System.setProperty("driftwarden.log.exceptions", "%ex");
        System.setProperty("driftwarden.log.steps", "ERROR");
        System.setProperty("driftwarden.log.json.throwable", "true");
        reconfigure();
        if (json) {
            json();
        }
    }

    /** {@code --log-format json}: each log line a JSON object (logback's JSON encoder, the message formatted). */
    static void json() {
        json = true;
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR") instanceof ConsoleAppender<ILoggingEvent> console) {
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            encoder.setWithMessage(false);
            encoder.setWithFormattedMessage(true);
            encoder.setWithArguments(false);
            encoder.setWithContext(false);
            encoder.setWithThrowable(Boolean.getBoolean("driftwarden.log.json.throwable"));
            encoder.start();
            console.setEncoder(encoder);
        }
    }

    private static void reconfigure() {
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
