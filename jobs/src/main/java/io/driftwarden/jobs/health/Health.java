package io.driftwarden.jobs.health;

/**
 * What one health rule concluded: the state, a reason (a CamelCase word — a condition's reason where the object gives
 * one, else kstatus's own, such as {@code LessReady}) and a message a person reads. {@link #describe} is what audit rows
 * and output print.
 */
public record Health(HealthState state, String reason, String message) {

    /** The most of a reason and of a message kept: conditions are written by controllers, not by us, and land in audit rows. */
    static final int MAX_REASON = 128;
    static final int MAX_MESSAGE = 1024;

    public Health {
        reason = clip(reason == null ? "" : reason, MAX_REASON);
        message = clip(message == null ? "" : message, MAX_MESSAGE);
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    public static Health current(String message) {
        return new Health(HealthState.CURRENT, "", message);
    }

    public static Health inProgress(String reason, String message) {
        return new Health(HealthState.IN_PROGRESS, reason, message);
    }

    public static Health failed(String reason, String message) {
        return new Health(HealthState.FAILED, reason, message);
    }

    public static Health unknown(String reason, String message) {
        return new Health(HealthState.UNKNOWN, reason, message);
    }

    /** {@code reason: message}, or the message alone when there is no reason. */
    public String describe() {
        if (reason == null || reason.isEmpty()) {
            return message;
        }
        return message == null || message.isEmpty() ? reason : reason + ": " + message;
    }
}
