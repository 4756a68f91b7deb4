package io.driftwarden.cron.cli;

/** What {@code run} and {@code plan} print. */
public enum Format {
    text,
    json
}
