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
 * Writes a JSON document {@code {"measures": {...}, "compliance": {...}, "summary": [...], "exceptions": {...},
 * "drifts": [...], "rows": [...]}}: what each measure counts, the {@link Compliance} section (the measures of the range
 * per binding, cluster and in total over the period, recurrence, coverage, controls; only when the report reads the
 * store), the measures per cluster and binding as the rows tell them, the config's exceptions (active, expiring within
 * {@value Measure#EXPIRING_WITHIN_DAYS} days, expired), one object per drift, then the audit rows as objects whose
 * fields are the CSV columns, streamed. Durations are ISO 8601 ({@code PT1.853S}) with the same value in seconds beside.
 */
public final class JsonReport {

    private JsonReport() {
    }

    public static void write(Summary summary, Rows rows, Writer out) throws IOException {
        write(summary, ExceptionStatus.NONE, null, rows, out);
    }

    /** The document, with the {@code compliance} section when it is not null and the exceptions section. */
    public static void write(Summary summary, ExceptionStatus exceptions, Compliance compliance, Rows rows, Writer out)
            throws IOException {
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
            json.writeStringProperty("medianTimeToCorrect", Measure.TIME_TO_CORRECT_MEDIAN);
            json.writeStringProperty("p90TimeToCorrect", Measure.TIME_TO_CORRECT_P90);
            json.writeStringProperty("recurrence", Measure.RECURRENCE);
            json.writeStringProperty("coverage", Measure.COVERAGE);
            json.writeStringProperty("controls", Compliance.CONTROLS);
            json.writeEndObject();
            if (compliance != null) {
                json.writeName("compliance");
                compliance(json, compliance);
            }
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
            exceptions(json, exceptions);
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

    private static void exceptions(JsonGenerator json, ExceptionStatus status) {
        json.writeName("exceptions");
        json.writeStartObject();
        json.writeStringProperty("asOf", text(status.asOf()));
        json.writeNumberProperty("expiringWithinDays", Measure.EXPIRING_WITHIN_DAYS);
        exceptionList(json, "active", status.active());
        exceptionList(json, "expiring", status.expiring());
        exceptionList(json, "expired", status.expired());
        json.writeEndObject();
    }

    private static void exceptionList(JsonGenerator json, String name, List<io.driftwarden.config.ExceptionSpec> exceptions) {
        json.writeName(name);
        json.writeStartArray();
        for (io.driftwarden.config.ExceptionSpec x : exceptions) {
            json.writeStartObject();
            json.writeStringProperty("name", x.name());
            json.writeStringProperty("binding", x.binding().pattern());
            json.writeStringProperty("cluster", x.cluster().pattern());
            json.writeStringProperty("namespace", x.namespace().pattern());
            json.writeStringProperty("kind", x.kind());
            json.writeStringProperty("objectName", x.objectName().pattern());
            json.writeName("paths");
            json.writeStartArray();
            x.paths().forEach(p -> json.writeString(p.text()));
            json.writeEndArray();
            json.writeStringProperty("reason", x.reason());
            json.writeStringProperty("approvedBy", x.approvedBy());
            json.writeStringProperty("ticket", x.ticket());
            json.writeStringProperty("expires", x.expires().toString());
            json.writeStringProperty("endsAt", x.end().toString());
            json.writeStringProperty("origin", x.origin());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** The compliance section: period, groups, recurrence, coverage, controls. */
    static void compliance(JsonGenerator json, Compliance compliance) {
        Measures m = compliance.measures();
        json.writeStartObject();
        json.writeName("period");
        json.writeStartObject();
        json.writeStringProperty("since", text(m.since()));
        json.writeStringProperty("until", text(m.until()));
        json.writeEndObject();
        json.writeName("bindings");
        json.writeStartArray();
        for (Measures.Group group : m.bindings()) {
            group(json, group);
        }
        json.writeEndArray();
        json.writeName("clusters");
        json.writeStartArray();
        for (Measures.Group group : m.clusters()) {
            group(json, group);
        }
        json.writeEndArray();
        json.writeName("total");
        group(json, m.total());
        json.writeName("recurrence");
        json.writeStartObject();
        json.writeNumberProperty("threshold", m.threshold());
        json.writeNumberProperty("objectPaths", m.recurringPaths());
        json.writeName("top");
        json.writeStartArray();
        for (Measures.Recurring r : m.recurring()) {
            json.writeStartObject();
            json.writeStringProperty("cluster", r.cluster());
            json.writeStringProperty("binding", r.binding());
            json.writeStringProperty("subject", r.subject());
            json.writeStringProperty("path", r.path());
            json.writeNumberProperty("drifts", r.drifts());
            json.writeName("managers");
            json.writeStartArray();
            for (String manager : r.managers()) {
                json.writeString(manager);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeName("coverage");
        json.writeStartArray();
        for (Measures.Coverage c : m.coverage()) {
            json.writeStartObject();
            json.writeStringProperty("cluster", c.cluster());
            json.writeStringProperty("binding", c.binding());
            json.writeNumberProperty("managed", c.managed());
            json.writeNumberProperty("unmanaged", c.unmanaged());
            json.writeName("percent");
            if (c.percent() == null) {
                json.writeNull();
            } else {
                json.writeNumber(c.percent());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeName("controls");
        json.writeStartArray();
        for (Compliance.Control control : compliance.controls()) {
            json.writeStartObject();
            json.writeStringProperty("control", control.id());
            json.writeName("bindings");
            json.writeStartArray();
            for (String binding : control.bindings()) {
                json.writeString(binding);
            }
            json.writeEndArray();
            json.writeName("measures");
            group(json, control.measures());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void group(JsonGenerator json, Measures.Group group) {
        json.writeStartObject();
        if (group.cluster() != null) {
            json.writeStringProperty("cluster", group.cluster());
        }
        if (group.binding() != null) {
            json.writeStringProperty("binding", group.binding());
        }
        for (Measure measure : Measure.values()) {
            json.writeNumberProperty(measure.key(), group.count(measure));
        }
        duration(json, "meanTimeToCorrect", group.meanTimeToCorrect());
        duration(json, "medianTimeToCorrect", group.medianTimeToCorrect());
        duration(json, "p90TimeToCorrect", group.p90TimeToCorrect());
        json.writeEndObject();
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
