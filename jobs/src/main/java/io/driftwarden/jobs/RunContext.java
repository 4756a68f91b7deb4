package io.driftwarden.jobs;

/** What every binding of one run shares: its id and what triggered it (cron, manual, webhook, cronjob). */
public record RunContext(String runId, String trigger) {
}
