package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditRecord;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a JSON document {@code {"measures": {...}, "summary": [...], "drifts": [...], "rows": [...]}}: what each
 * measure counts, the measures per cluster and binding, one object per drift, then the audit rows as objects whose
 * fields are the CSV columns, streamed. Durations are ISO 8601 ({@code PT1.853S}) with the same value in seconds beside.
 */
public final class JsonReport {

    private JsonReport() {
    }

    public static void write(Summary summary, Rows rows, Writer out) throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        JsonGenerator json = mapper.writerWithDefaultPrettyPrinter().createGenerator(out);
        {
            json.writeStartObject();
            json.writeName("measures");
            json.writeStartObject();
            for (Measure measure : Measure.values()) {
                json.writeStringProperty(measure.key(), measure.definition());
            }
            json.writeStringProperty("meanTimeToCorrect", Measure.TIME_TO_CORRECT
                    + " (ISO 8601; meanTimeToCorrectSeconds holds the same in seconds)");
            json.writeEndObject();
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
                for (Measure measure : Measure.values()) {
                    json.writeNumberProperty(measure.key(), binding.count(measure));
                }
                duration(json, "meanTimeToCorrect", binding.meanTimeToCorrect());
                json.writeStringProperty("lastSuccessfulRun", text(binding.lastSuccessfulRun()));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeName("drifts");
            json.writeStartArray();
            for (Summary.DriftLine drift : summary.drifts()) {
                json.writeStartObject();
                json.writeStringProperty("cluster", drift.cluster());
                json.writeStringProperty("binding", drift.binding());
                json.writeStringProperty("subject", drift.subject());
                json.writeStringProperty("path", drift.path());
                json.writeStringProperty("driftType", drift.driftType());
                json.writeNumberProperty("firstSeq", drift.firstSeq());
                json.writeStringProperty("firstSeen", text(drift.firstSeen()));
                json.writeStringProperty("lastSeen", text(drift.lastSeen()));
                json.writeNumberProperty("runs", drift.runs());
                json.writeStringProperty("changedBy", drift.changedBy());
                json.writeStringProperty("done", drift.done());
                json.writeStringProperty("outcome", drift.outcome().key());
                json.writeStringProperty("correctedAt", text(drift.correctedAt()));
                duration(json, "timeToCorrect", drift.timeToCorrect());
                json.writeStringProperty("error", drift.error());
                json.writeStringProperty("commit", drift.commit());
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

    /** {@code name} as ISO 8601 ({@code PT1.853S}) and {@code nameSeconds} as a number of seconds; both null when absent. */
    private static void duration(JsonGenerator json, String name, Duration duration) {
        json.writeStringProperty(name, duration == null ? null : duration.toString());
        json.writeName(name + "Seconds");
        if (duration == null) {
            json.writeNull();
        } else {
            json.writeNumber(Summary.seconds(duration));
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** The summary of {@code records} and the records themselves (for callers that hold them in memory). */
    public static void write(List<AuditRecord> records, Writer out) throws IOException {
        write(Summary.of(Rows.of(records), java.util.Map.of()), Rows.of(records), out);
    }
}
