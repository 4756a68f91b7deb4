package io.driftwarden.jobs.health;

import tools.jackson.databind.JsonNode;

/**
 * A Job (kstatus {@code core.go} {@code jobConditions}; the conditions are the job controller's,
 * kubernetes {@code pkg/controller/job}): {@code Complete=True} is Current, {@code Failed=True} is Failed with the
 * condition's reason (such as {@code BackoffLimitExceeded}), {@code Suspended=True} is Current; a Job that has not started
 * is InProgress, one that runs is Current (kstatus counts a running Job as reconciled).
 */
final class JobHealth implements KindRule {

    @Override
    public Health assess(JsonNode j) {
        long parallelism = Status.integer(j, "/spec/parallelism", 1);
        long completions = Status.integer(j, "/spec/completions", parallelism);
        long succeeded = Status.integer(j, "/status/succeeded", 0);
        long active = Status.integer(j, "/status/active", 0);
        long failed = Status.integer(j, "/status/failed", 0);
        for (JsonNode condition : j.path("status").path("conditions")) {
            if (!"True".equals(condition.path("status").asString(""))) {
                continue;
            }
            switch (condition.path("type").asString("")) {
                case "Complete" -> {
                    return Health.current("Job Completed. succeeded: " + succeeded + "/" + completions);
                }
                case "Failed" -> {
                    String reason = Status.reason(condition).isEmpty() ? "JobFailed" : Status.reason(condition);
                    String message = Status.message(condition);
                    return Health.failed(reason, (message.isEmpty() ? "Job Failed" : message) + " (failed: " + failed + "/" + completions + ")");
                }
                case "Suspended" -> {
                    return Health.current("Job is suspended");
                }
                default -> {
                }
            }
        }
        if (Status.text(j, "/status/startTime", "").isEmpty()) {
            return Health.inProgress("JobNotStarted", "Job not started");
        }
        return Health.current("Job in progress. success: " + succeeded + ", active: " + active + ", failed: " + failed);
    }
}
