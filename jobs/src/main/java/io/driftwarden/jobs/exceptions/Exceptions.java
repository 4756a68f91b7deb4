package io.driftwarden.jobs.exceptions;

import io.driftwarden.config.BindingSpec;
import io.driftwarden.config.ExceptionSpec;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.BindingAudit;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.resource.ResourceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The pipeline step between the tenancy gate and the server's dry-runs: each drift an active exception covers
 * ({@link ExceptionMatcher}) is recorded once as {@code EXCEPTED} (naming the exception, with its paths, masked diff and
 * who changed them) and goes no further — no dry-run, no intent, no write, no exit code 2; each drift an expired
 * exception would have covered is recorded {@code EXPIRED} (naming it) and goes on as any drift.
 */
public final class Exceptions {

    private Exceptions() {
    }

    /**
     * What is left to confirm and correct ({@code open}, in-sync objects included), the drifts held by an exception and
     * their {@code EXCEPTED} changes, and one line per expired exception that matched, for the run's output.
     */
    public record Sorted(List<Drift> open, List<Drift> excepted, List<Change> changes, List<String> expired) {

        public Sorted {
            open = List.copyOf(open);
            excepted = List.copyOf(excepted);
            changes = List.copyOf(changes);
            expired = List.copyOf(expired);
        }
    }

    /** Sorts {@code drifts} of {@code binding} by the exceptions in force at {@code now}, writing their rows to {@code audit}. */
    public static Sorted sort(List<ExceptionSpec> exceptions, BindingSpec binding, List<Drift> drifts, Set<ResourceKey> refused,
                              Map<ResourceKey, JsonNode> live, Instant now, BindingAudit audit) {
        if (exceptions.isEmpty()) {
            return new Sorted(drifts, List.of(), List.of(), List.of());
        }
        List<Drift> open = new ArrayList<>();
        List<Drift> excepted = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (Drift drift : drifts) {
            if (!drift.drifted()) {
                open.add(drift);
                continue;
            }
            ResourceKey key = drift.key();
            JsonNode current = live.get(key);
            List<ExceptionMatcher.Changed> paths = drift.details().stream()
                    .map(d -> new ExceptionMatcher.Changed(d.path(), ExceptionMatcher.pointerOf(d.path(), current, drift.desired().manifest())))
                    .toList();
            ExceptionMatcher.Verdict verdict = ExceptionMatcher.judge(exceptions, new ExceptionMatcher.Target(binding.name(),
                    binding.cluster(), key.namespace(), key.kind(), key.name(), drift.type(), refused.contains(key)), paths, now);
            if (verdict.covered()) {
                ExceptionSpec by = verdict.covering();
                audit.excepted(drift, by.name(), "covered by exception " + by.describe() + ": " + by.reason());
                excepted.add(drift);
                changes.add(new Change(key, Action.EXCEPTED, "excepted by " + by.describe()));
                continue;
            }
            for (ExceptionSpec gone : verdict.expired()) {
                String note = "exception " + gone.describe() + " expired at " + gone.end() + ": " + key.subject() + " "
                        + String.join(", ", drift.paths()) + " is drift again";
                audit.expired(drift, gone.name(), note);
                expired.add(note);
            }
            open.add(drift);
        }
        return new Sorted(open, excepted, changes, expired);
    }
}
