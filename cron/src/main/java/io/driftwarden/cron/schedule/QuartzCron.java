package io.driftwarden.cron.schedule;

import io.driftwarden.config.CronCheck;
import java.text.ParseException;
import org.quartz.CronExpression;

/**
 * Cron expressions by Quartz's own parser — the one that runs them — for the config validation: seven fields at most
 * (second minute hour day-of-month month day-of-week [year]), and {@code ?} in one of the two day fields
 * ({@code 0 0 2 * * *} is refused, as Quartz refuses it).
 */
public final class QuartzCron implements CronCheck {

    public static final QuartzCron CHECK = new QuartzCron();

    private QuartzCron() {
    }

    @Override
    public String problem(String expression) {
        try {
            CronExpression.validateExpression(expression);
            return null;
        } catch (ParseException e) {
            return e.getMessage() + " (Quartz: second minute hour day-of-month month day-of-week [year], with ? in one day field)";
        }
    }
}
