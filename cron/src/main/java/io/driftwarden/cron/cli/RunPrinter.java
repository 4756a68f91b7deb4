package io.driftwarden.cron.cli;

import io.driftwarden.jobs.BindingResult;
import io.driftwarden.jobs.apply.Action;
import io.driftwarden.jobs.apply.Change;
import io.driftwarden.jobs.diff.Drift;
import io.driftwarden.jobs.diff.DriftPath;
import io.driftwarden.jobs.diff.DriftType;
import io.driftwarden.jobs.health.HealthReport;
import io.driftwarden.jobs.health.ObjectHealth;
import io.driftwarden.jobs.lifecycle.RunOutcome;
import io.driftwarden.jobs.lifecycle.RunStop;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Prints a run's outcome as a table (text) or a document (json); binding errors also go to stderr. */
public final class RunPrinter {

    private final PrintWriter out;
    private final PrintWriter err;
    private final DiffStyle diffStyle;

    public RunPrinter(PrintWriter out, PrintWriter err, DiffStyle diffStyle) {
        this.out = out;
        this.err = err;
        this.diffStyle = diffStyle;
    }

    public void print(RunOutcome outcome, Format format) {
        for (BindingResult result : outcome.results()) {
            if (result.error() != null) {
                err.println("error: " + result.error());
            }
            result.changes().stream().filter(c -> c.action() == Action.FAILED || c.action() == Action.REFUSED)
                    .forEach(c -> err.println("error: binding " + result.binding() + ": " + c.detail()));
            result.health().failing().forEach(o -> err.println("error: binding " + result.binding() + ": health: " + o.key().subject()
                    + " is " + o.state() + ": " + o.health().describe()));
        }
        if (outcome.checkpointError() != null) {
            err.println("error: " + outcome.checkpointError());
        }
        err.flush();
        if (format == Format.json) {
            out.println(json(outcome));
        } else {
            text(outcome);
        }
        out.flush();
    }

    private void text(RunOutcome outcome) {
        out.printf("run %s (trigger %s, mode %s)%n", outcome.runId(), outcome.trigger(), outcome.mode());
        for (BindingResult result : outcome.results()) {
            out.printf("%nbinding %s -> %s/%s at %s%n", result.binding(), result.cluster(), result.namespace(), commit(result));
            if (result.chart() != null) {
                out.printf("  chart %s version %s digest %s%s%n", result.chart().reference(), result.chart().version(), result.chart().digest(),
                        result.chart().signer() == null ? "" : " (provenance signed by " + result.chart().signer() + ")");
            }
            if (result.error() != null) {
                // the first line here, the whole error on stderr: point there only when it holds more
                List<String> lines = result.error().lines().toList();
                out.println("  FAILED: " + (lines.isEmpty() ? "" : lines.get(0))
                        + (lines.size() > 1 ? " (" + (lines.size() - 1) + " more lines in the error on stderr)" : ""));
                continue;
            }
            if (result.skipped() != null) {
                out.println("  SKIPPED: " + result.skipped());
                continue;
            }
            table(result, "  ");
            health(result, "  ");
            result.expired().forEach(line -> out.printf("  EXPIRED  %s%n", line));
            result.unmanaged().forEach(key -> out.printf("  UNMANAGED  %s%n", key.subject()));
            long inSync = result.drifts().size() - result.driftCount() - result.exceptedCount();
            out.printf("  %d objects: %d in sync, %d drifted%s, %d corrected, %d failed%s%n", result.drifts().size(), inSync,
                    result.driftCount(), result.exceptedCount() == 0 ? "" : ", " + result.exceptedCount() + " excepted",
                    result.correctedCount(), result.failedCount(),
                    result.dryRuns() == 0 ? "" : " (" + result.dryRuns() + " server dry-runs to confirm drift, not writes)");
        }
        List<BindingResult> results = outcome.results();
        long unhealthy = results.stream().mapToLong(BindingResult::unhealthyCount).sum();
        long excepted = results.stream().mapToLong(BindingResult::exceptedCount).sum();
        out.printf("%nsummary: %d bindings (%d failed), %d drifted%s, %d corrected, %d failed, %d refused%s%n", results.size(),
                results.stream().filter(r -> r.error() != null || r.health().failure() != null).count(),
                results.stream().mapToLong(BindingResult::driftCount).sum(),
                excepted == 0 ? "" : ", " + excepted + " excepted",
                results.stream().mapToLong(BindingResult::correctedCount).sum(), results.stream().mapToLong(BindingResult::failedCount).sum(),
                results.stream().flatMap(r -> r.changes().stream()).filter(c -> c.action() == Action.REFUSED).count(),
                unhealthy == 0 ? "" : ", " + unhealthy + " unhealthy");
        if (outcome.checkpoint() != null) {
            out.printf("checkpoint: head seq %d, hash %s, signed%n", outcome.checkpoint().seq(), outcome.checkpoint().hash());
        }
        out.printf("exit %d%n", outcome.exitCode());
    }

    /** The commit a binding ran at, or why there is none: it was not started, or its Git could not be read. */
    private static String commit(BindingResult result) {
        if (result.revision() != null) {
            return result.revision().commit().substring(0, 12);
        }
        if (result.skipped() != null || result.error() == null || result.error().contains(RunStop.notStarted(""))) {
            return "(no commit: not started)";
        }
        return "(commit unknown: Git could not be read)";
    }

    /** One line per object that was not left unchanged: subject, drift, action, changed paths (and diffs for plan). */
    public void table(BindingResult result, String indent) {
        Map<String, Drift> drifts = result.drifts().stream().collect(Collectors.toMap(d -> d.key().subject(), Function.identity()));
        for (Change change : result.changes()) {
            if (change.action() == Action.UNCHANGED) {
                continue;
            }
            Drift drift = drifts.get(change.key().subject());
            String what = drift.type() == DriftType.EXTRA ? change.detail()
                    : drift.paths().isEmpty() ? "(whole object)" : String.join(", ", drift.paths());
            out.printf("%s%-44s %-9s %-10s %s%n", indent, change.key().subject(), drift.type(), change.action(), what);
            if (change.action() == Action.EXCEPTED) {
                out.println(indent + "    " + change.detail());
            }
            if (diffStyle != DiffStyle.paths) { // the paths style says who on each line already
                drift.details().forEach(d -> out.println(indent + "    " + d.path().render() + ": " + d.explained()));
            }
            String shown = switch (diffStyle) {
                case paths -> drift.maskedDiff();
                case unified -> drift.unifiedDiff().isEmpty() ? drift.maskedDiff() : drift.unifiedDiff();
                case none -> "";
            };
            shown.lines().forEach(line -> out.println(indent + "    " + line));
        }
    }

    /**
     * One line per object whose health was assessed — {@code HEALTH  Kind/ns/name  State  reason: message} — then, when
     * health fails the binding, why.
     */
    public void health(BindingResult result, String indent) {
        HealthReport health = result.health();
        for (ObjectHealth object : health.objects()) {
            out.printf("%s%-10s %-44s %-10s %s%n", indent, "HEALTH", object.key().subject(), object.state(), object.health().describe());
        }
        if (health.failure() != null) {
            out.printf("%sHEALTH FAILED: %d objects unhealthy%s%n", indent, health.failing().size(),
                    health.waited().isZero() ? "" : " after waiting " + health.waited().toSeconds() + "s");
        }
    }

    private static ObjectNode health(ObjectHealth object, ObjectNode node) {
        node.put("state", object.state().kstatusName());
        node.put("reason", object.health().reason());
        node.put("message", object.health().message());
        return node;
    }

    private static String json(RunOutcome outcome) {
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode root = mapper.createObjectNode();
        root.put("runId", outcome.runId());
        root.put("trigger", outcome.trigger());
        root.put("mode", outcome.mode());
        root.put("exitCode", outcome.exitCode());
        ArrayNode bindings = root.putArray("bindings");
        for (BindingResult result : outcome.results()) {
            ObjectNode binding = bindings.addObject();
            binding.put("name", result.binding());
            binding.put("cluster", result.cluster());
            binding.put("namespace", result.namespace());
            binding.put("sourceUrl", result.revision() == null ? null : result.revision().url());
            binding.put("commit", result.revision() == null ? null : result.revision().commit());
            binding.put("error", result.error());
            if (result.chart() != null) {
                binding.putObject("chart").put("reference", result.chart().reference()).put("chart", result.chart().chart())
                        .put("version", result.chart().version()).put("digest", result.chart().digest())
                        .put("signer", result.chart().signer());
            }
            if (result.skipped() != null) {
                binding.put("skipped", result.skipped());
            }
            binding.put("dryRuns", result.dryRuns());
            Map<String, Change> changes = result.changes().stream().collect(Collectors.toMap(c -> c.key().subject(), Function.identity()));
            ArrayNode objects = binding.putArray("objects");
            Map<String, ObjectHealth> healthOf = result.health().objects().stream()
                    .collect(Collectors.toMap(o -> o.key().subject(), Function.identity()));
            for (Drift drift : result.drifts()) {
                Change change = changes.get(drift.key().subject());
                ObjectNode object = objects.addObject();
                object.put("subject", drift.key().subject());
                object.put("apiVersion", drift.key().apiVersion());
                object.put("kind", drift.key().kind());
                object.put("namespace", drift.key().namespace());
                object.put("name", drift.key().name());
                object.put("origin", drift.desired().origin());
                object.put("drift", drift.type().name());
                object.put("action", change == null ? null : change.action().name());
                drift.paths().forEach(object.putArray("paths")::add);
                ArrayNode details = object.putArray("drifts");
                for (DriftPath path : drift.details()) {
                    ObjectNode detail = details.addObject();
                    detail.put("path", path.path().render());
                    detail.put("reason", path.because());
                    detail.put("changedBy", path.changedBy().manager() == null ? "unknown" : path.changedBy().manager());
                    detail.put("changedAt", path.changedBy().time() == null ? "unknown" : path.changedBy().time().toString());
                    detail.set("live", path.live());
                    detail.set("git", path.desired());
                }
                object.put("diff", drift.maskedDiff());
                object.put("unifiedDiff", drift.unifiedDiff());
                if (change != null && change.action() == Action.FAILED) {
                    object.put("error", change.detail());
                }
                if (healthOf.containsKey(drift.key().subject())) {
                    health(healthOf.get(drift.key().subject()), object.putObject("health"));
                }
                if (change != null && change.action() == Action.EXCEPTED) {
                    object.put("excepted", change.detail());
                }
            }
            result.unmanaged().forEach(key -> binding.withArray("unmanaged").add(key.subject()));
            ArrayNode healthLines = binding.putArray("health");
            result.health().objects().forEach(o -> health(o, healthLines.addObject().put("subject", o.key().subject())));
            binding.put("healthFailure", result.health().failure());
            binding.put("healthLists", result.health().lists());
            binding.put("healthWaitedMillis", result.health().waited().toMillis());
            result.expired().forEach(line -> binding.withArray("expiredExceptions").add(line));
        }
        if (outcome.checkpoint() != null) {
            root.set("checkpoint", outcome.checkpoint().json());
        }
        if (outcome.checkpointError() != null) {
            root.put("checkpointError", outcome.checkpointError());
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
