package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import java.io.IOException;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes audit rows as a JSON array of objects whose fields are the CSV columns. */
public final class JsonReport {

    private JsonReport() {
    }

    public static void write(List<AuditRecord> records, Appendable out) throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        ArrayNode rows = mapper.createArrayNode();
        for (AuditRecord record : records) {
            AuditEntry e = record.entry();
            ObjectNode row = rows.addObject();
            row.put("seq", record.seq());
            row.put("time", record.time().toString());
            row.put("run_id", e.runId());
            row.put("trigger", e.trigger());
            row.put("binding", e.binding());
            row.put("source_url", e.sourceUrl());
            row.put("commit", e.commit());
            row.put("cluster", e.cluster());
            row.put("namespace", e.namespace());
            row.put("group", e.group());
            row.put("version", e.version());
            row.put("kind", e.kind());
            row.put("name", e.name());
            row.put("subject", record.subject());
            row.put("event", e.event().name());
            row.put("drift_type", e.driftType());
            row.put("action", e.action());
            row.put("changed_paths", e.changedPaths());
            row.put("diff", e.maskedDiff());
            row.put("error", e.error());
            row.put("prev_hash", record.prevHash());
            row.put("hash", record.hash());
        }
        out.append(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(rows)).append('\n');
    }
}
