package io.driftwarden.cron.cli;

/** How {@code plan} and {@code run} show each drifted object: its paths with values, a unified diff, or nothing. */
public enum DiffStyle {
    paths,
    unified,
    none
}
