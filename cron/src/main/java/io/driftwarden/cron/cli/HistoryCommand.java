package io.driftwarden.cron.cli;

import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.ReportFilter;
import io.driftwarden.audit.RunHistory;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code driftwarden history}: the recent runs with their counts per binding, or every row of one run. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show recent runs (time, trigger, mode, exit code, counts per binding), or every audit row of one run.")
public class HistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--binding", paramLabel = "NAME", description = "Only runs that touched this binding.")
    String binding;

    @Option(names = "--limit", paramLabel = "N", description = "At most N runs (default: 20).")
    int limit = 20;

    @Option(names = "--run", paramLabel = "ID", description = "Every audit row of this run instead.")
    String run;

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", description = "text (default) or json.")
    Format format = Format.text;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (AuditLog audit = AuditLog.open(config.auditSettings(), Clock.systemUTC())) {
            if (run != null) {
                List<AuditRecord> rows = audit.records(ReportFilter.run(run));
                if (rows.isEmpty()) {
                    spec.commandLine().getErr().println("error: no audit rows for run " + run);
                    return 1;
                }
                printRows(rows, out);
            } else {
                printRuns(audit.history(binding, limit), out);
            }
        }
        out.flush();
        return 0;
    }

    private void printRuns(List<RunHistory> runs, PrintWriter out) {
        if (format == Format.json) {
            JsonMapper mapper = JsonMapper.builder().build();
            ArrayNode array = mapper.createArrayNode();
            for (RunHistory run : runs) {
                ObjectNode node = array.addObject();
                node.put("runId", run.runId()).put("trigger", run.trigger()).put("mode", run.mode())
                        .put("startedAt", run.startedAt().toString()).put("finishedAt", run.finishedAt().toString())
                        .put("exitCode", run.exitCode());
                ArrayNode bindings = node.putArray("bindings");
                run.bindings().forEach(b -> bindings.addObject().put("binding", b.binding()).put("drifts", b.drifts())
                        .put("corrected", b.corrected()).put("failed", b.failed()).put("unmanaged", b.unmanaged())
                        .put("healthFailed", b.healthFailed()).put("excepted", b.excepted()));
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
            return;
        }
        TextTable table = new TextTable("RUN", "STARTED", "TRIGGER", "MODE", "EXIT");
        for (RunHistory run : runs) {
            table.row(run.bindings().stream().map(b -> "    %s: drifts %d, corrected %d, failed %d, unmanaged %d%s"
                    .formatted(b.binding(), b.drifts(), b.corrected(), b.failed(), b.unmanaged(),
                            (b.healthFailed() == 0 ? "" : ", health failed " + b.healthFailed())
                                    + (b.excepted() == 0 ? "" : ", excepted " + b.excepted()))).toList(),
                    run.runId(), run.startedAt(), run.trigger(), run.mode(), run.exitCode());
        }
        table.print(out);
    }

    private void printRows(List<AuditRecord> rows, PrintWriter out) {
        if (format == Format.json) {
            JsonMapper mapper = JsonMapper.builder().build();
            ArrayNode array = mapper.createArrayNode();
            rows.forEach(r -> array.addObject().put("seq", r.seq()).put("time", r.time().toString()).put("binding", r.entry().binding())
                    .put("subject", r.subject()).put("event", r.entry().event().name()).put("driftType", r.entry().driftType())
                    .put("action", r.entry().action()).put("changedPaths", r.entry().changedPaths()).put("error", r.entry().error())
                    .put("healthState", r.entry().details().healthState()).put("healthMessage", r.entry().details().healthMessage()));
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
            return;
        }
        TextTable table = new TextTable("SEQ", "TIME", "BINDING", "OBJECT", "EVENT", "DRIFT", "ACTION", "HEALTH");
        for (AuditRecord r : rows) {
            table.row(null, r.seq(), r.time(), r.entry().binding(), r.subject(), r.entry().event(), r.entry().driftType(), r.entry().action(),
                    r.entry().details().healthState());
        }
        table.print(out);
    }
}
