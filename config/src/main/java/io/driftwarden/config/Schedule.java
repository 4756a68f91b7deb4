package io.driftwarden.config;

import java.time.ZoneId;

/** When a binding is reconciled by the daemon: a Quartz cron expression in a time zone; {@code origin} is its {@code file:line}. */
public record Schedule(String cron, ZoneId timeZone, String origin) {
}
