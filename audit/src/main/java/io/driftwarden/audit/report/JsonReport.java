package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditRecord;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a JSON document {@code {"summary": [...], "rows": [...]}}: the summary per cluster and binding, then the
 * audit rows as objects whose fields are the CSV columns, streamed.
 */
public final class JsonReport {

    private JsonReport() {
    }

    public static void write(Summary summary, Rows rows, Writer out) throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        JsonGenerator json = mapper.writerWithDefaultPrettyPrinter().createGenerator(out);
        {
            json.writeStartObject();
            json.writeName("summary");
            json.writeStartArray();
            for (Summary.BindingSummary binding : summary.bindings()) {
                json.writeStartObject();
                json.writeStringProperty("cluster", binding.cluster());
                json.writeStringProperty("binding", binding.binding());
                json.writeNumberProperty("objectsManaged", binding.objectsManaged());
                json.writeName("inSyncPercent");
                if (binding.inSyncPercent() == null) {
                    json.writeNull();
                } else {
                    json.writeNumber(binding.inSyncPercent());
                }
                json.writeNumberProperty("driftsFound", binding.driftsFound());
                json.writeNumberProperty("corrected", binding.corrected());
                json.writeNumberProperty("failed", binding.failed());
                json.writeNumberProperty("unmanaged", binding.unmanaged());
                json.writeStringProperty("meanTimeToCorrect", binding.meanTimeToCorrect() == null ? null : binding.meanTimeToCorrect().toString());
                json.writeStringProperty("lastSuccessfulRun", binding.lastSuccessfulRun() == null ? null : binding.lastSuccessfulRun().toString());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeName("rows");
            json.writeStartArray();
            rows.each(record -> {
                json.writeStartObject();
                List<Object> values = ReportRow.values(record);
                for (int i = 0; i < ReportRow.COLUMNS.size(); i++) {
                    json.writeName(ReportRow.COLUMNS.get(i));
                    Object value = values.get(i);
                    if (value == null) {
                        json.writeNull();
                    } else if (value instanceof Long number) {
                        json.writeNumber(number);
                    } else {
                        json.writeString(String.valueOf(value));
                    }
                }
                json.writeEndObject();
            });
            json.writeEndArray();
            json.writeEndObject();
        }
        json.flush(); // not closed: the writer is the caller's
        out.write('\n');
    }

    /** The summary of {@code records} and the records themselves (for callers that hold them in memory). */
    public static void write(List<AuditRecord> records, Writer out) throws IOException {
        write(Summary.of(Rows.of(records), java.util.Map.of()), Rows.of(records), out);
    }
}
