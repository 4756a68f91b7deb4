package io.driftwarden.cron.cli;

import java.time.Duration;

/** Durations as the CLI takes them: a number and a unit, {@code 90s}, {@code 15m}, {@code 24h}, {@code 7d}. */
final class Durations {

    private Durations() {
    }

    /** Whether {@code text} has that form. */
    static boolean matches(String text) {
        return text.matches("\\d+[smhd]");
    }

    /** The duration {@code text} names; call {@link #matches} first. */
    static Duration parse(String text) {
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
