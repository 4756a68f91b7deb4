package io.driftwarden.audit.report;

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
            ObjectNode row = rows.addObject();
            List<Object> values = ReportRow.values(record);
            for (int i = 0; i < ReportRow.COLUMNS.size(); i++) {
                row.set(ReportRow.COLUMNS.get(i), mapper.valueToTree(values.get(i)));
            }
        }
        out.append(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(rows)).append('\n');
    }
}
