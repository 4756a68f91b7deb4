package io.driftwarden.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditLog;
import io.driftwarden.audit.EventType;
import io.driftwarden.audit.Inventory;
import io.driftwarden.audit.ReportFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fixed audit table for the measures' golden tests, appended through {@link AuditLog} with a clock moved by hand, so
 * H2 and PostgreSQL hold the same rows. The period is 2026-11-01 to 2026-11-08; one row before and one after it must
 * not count. What it holds, per binding:
 * <ul>
 *   <li>{@code web} on {@code prod-eu} (enforce): {@code spec.replicas} of Deployment/web/frontend drifts three times
 *   (kubectl-scale twice, kubectl-edit once) and is corrected after 3602 s, 1801 s and 0.5 s; its image once, corrected
 *   after 3602 s; ConfigMap/web/settings is EXCEPTED in two runs; Service/web/frontend is MISSING and its creation
 *   FAILED. Unmanaged: ConfigMap/web/stray and Secret/web/manual, but its latest run saw only the Secret. Inventory: 4.
 *   So 6 found: 4 corrected, 1 excepted, 1 failed; time to correct median 1801 s, p90 3602 s, mean 2251.375 s; coverage
 *   4 / (4 + 1) = 80 %; spec.replicas recurs (3 drifts).</li>
 *   <li>{@code api} on {@code prod-us} (audit): one env var added by kubectl-edit, detected in three runs and left; one
 *   run could not render (a binding failure); Pod/api/debug unmanaged; no inventory, so coverage 0 %.</li>
 * </ul>
 */
final class AuditTrailFixture {

    static final Instant SINCE = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2026-11-08T00:00:00Z");
    static final ReportFilter PERIOD = new ReportFilter(SINCE, UNTIL, null, null);
    static final String SHA = "9a1df0b23ddcb0554505e456250558b1f73815ae";
    static final String REPLICAS = "spec.replicas";
    static final String IMAGE = "spec.template.spec.containers[name=web].image";
    static final String DEBUG = "spec.template.spec.containers[name=api].env[name=DEBUG]";

    /** A clock the fixture moves. */
    static final class HandClock extends Clock {
        Instant now = SINCE;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final AuditLog log;
    private final HandClock clock;

    private AuditTrailFixture(AuditLog log, HandClock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Appends the whole trail to {@code log} (whose clock is {@code clock}) and fills the inventory. */
    static void fill(AuditLog log, HandClock clock) {
        AuditTrailFixture f = new AuditTrailFixture(log, clock);
        f.at("2026-10-31T02:00:00Z").web("plan-0", EventType.DETECTED, "Deployment", "frontend", "MODIFIED", "SKIPPED", REPLICAS,
                REPLICAS + "\tkubectl-scale\t2026-10-30T23:00:00Z", null);
        // night 1: a plan finds two paths, the enforcing run corrects both
        f.at("2026-11-01T02:00:00Z").web("plan-1", EventType.DETECTED, "Deployment", "frontend", "MODIFIED", "SKIPPED",
                REPLICAS + "\n" + IMAGE, REPLICAS + "\tkubectl-scale\t2026-10-31T23:10:00Z\n" + IMAGE + "\tkubectl-set\t2026-10-31T23:12:00Z", null);
        f.web("plan-1", EventType.UNMANAGED, "ConfigMap", "stray", null, null, null, null, null);
        f.at("2026-11-01T03:00:00Z").web("run-1", EventType.INTENT, "Deployment", "frontend", "MODIFIED", "CONFIGURED",
                REPLICAS + "\n" + IMAGE, null, null);
        f.at("2026-11-01T03:00:02Z").web("run-1", EventType.CORRECTED, "Deployment", "frontend", "MODIFIED", "CONFIGURED",
                REPLICAS + "\n" + IMAGE, null, null);
        f.api("audit-1", "2026-11-01T02:00:00Z", EventType.DETECTED);
        // night 2: the replicas come back
        f.at("2026-11-02T02:00:00Z").web("plan-2", EventType.DETECTED, "Deployment", "frontend", "MODIFIED", "SKIPPED", REPLICAS,
                REPLICAS + "\tkubectl-scale\t2026-11-01T22:00:00Z", null);
        f.at("2026-11-02T02:30:00Z").web("run-2", EventType.INTENT, "Deployment", "frontend", "MODIFIED", "CONFIGURED", REPLICAS, null, null);
        f.at("2026-11-02T02:30:01Z").web("run-2", EventType.CORRECTED, "Deployment", "frontend", "MODIFIED", "CONFIGURED", REPLICAS, null, null);
        f.api("audit-2", "2026-11-02T02:00:00Z", EventType.DETECTED);
        // night 3: again, corrected at once; an exception covers the settings; the api binding does not render
        f.at("2026-11-03T02:00:00Z").web("run-3", EventType.INTENT, "Deployment", "frontend", "MODIFIED", "CONFIGURED", REPLICAS,
                REPLICAS + "\tkubectl-edit\t2026-11-02T21:00:00Z", null);
        f.at("2026-11-03T02:00:00.500Z").web("run-3", EventType.CORRECTED, "Deployment", "frontend", "MODIFIED", "CONFIGURED", REPLICAS, null, null);
        f.web("run-3", EventType.EXCEPTED, "ConfigMap", "settings", "MODIFIED", "SKIPPED", "data.mode",
                "data.mode\tkubectl-edit\t2026-11-02T20:00:00Z", "hotfix-mode");
        f.web("run-3", EventType.UNMANAGED, "ConfigMap", "stray", null, null, null, null, null);
        f.web("run-3", EventType.UNMANAGED, "Secret", "manual", null, null, null, null, null);
        f.at("2026-11-03T02:00:01Z");
        log.append(new AuditEntry("audit-3", "cronjob", "api", "file:///srv/git/platform.git", null, "prod-us", "api", null, null,
                null, null, EventType.FAILED, null, "FAILED", null, null, "binding api: manifests do not render"));
        // night 4: a missing Service cannot be created; the exception still covers the settings
        f.at("2026-11-04T02:00:00Z").web("run-4", EventType.INTENT, "Service", "frontend", "MISSING", "CREATED", null, null, null);
        f.at("2026-11-04T02:00:01Z").web("run-4", EventType.FAILED, "Service", "frontend", "MISSING", "CREATED", null, null, null);
        f.web("run-4", EventType.EXCEPTED, "ConfigMap", "settings", "MODIFIED", "SKIPPED", "data.mode",
                "data.mode\tkubectl-edit\t2026-11-02T20:00:00Z", "hotfix-mode");
        f.web("run-4", EventType.UNMANAGED, "Secret", "manual", null, null, null, null, null);
        f.api("audit-5", "2026-11-05T02:00:00Z", EventType.DETECTED);
        f.at("2026-11-05T02:00:01Z");
        log.append(new AuditEntry("audit-5", "cronjob", "api", "file:///srv/git/platform.git", SHA, "prod-us", "api", "", "v1", "Pod",
                "debug", EventType.UNMANAGED, null, null, null, null, null));
        // after the period
        f.at("2026-11-08T01:00:00Z").web("plan-9", EventType.DETECTED, "Deployment", "frontend", "MODIFIED", "SKIPPED", REPLICAS,
                REPLICAS + "\tkubectl-scale\t2026-11-07T23:00:00Z", null);
        log.inventory().replace("web", List.of(new Inventory.Entry("apps/v1", "Deployment", "web", "frontend"),
                new Inventory.Entry("v1", "Service", "web", "frontend"), new Inventory.Entry("v1", "ConfigMap", "web", "settings"),
                new Inventory.Entry("v1", "ServiceAccount", "web", "frontend")), new Inventory.Commit("file:///srv/git/platform.git", SHA));
    }

    private AuditTrailFixture at(String time) {
        clock.now = Instant.parse(time);
        return this;
    }

    private AuditTrailFixture web(String run, EventType event, String kind, String name, String driftType, String action, String paths,
                                  String changedBy, String exception) {
        String group = kind.equals("Deployment") ? "apps" : "";
        String diff = paths == null ? null : paths.lines().map(p -> "~ " + p + ": 3 -> 5").reduce((a, b) -> a + "\n" + b).orElse(null);
        log.append(new AuditEntry(run, run.startsWith("plan") ? "manual" : "cronjob", "web", "file:///srv/git/platform.git", SHA,
                "prod-eu", "web", group, "v1", kind, name, event, driftType, action, paths, diff,
                event == EventType.FAILED ? "Service/web/frontend apply failed (Forbidden)" : null)
                .withDetails(AuditEntry.Details.NONE.withChangedBy(changedBy).withException(exception)));
        return this;
    }

    private void api(String run, String time, EventType event) {
        at(time);
        log.append(new AuditEntry(run, "cronjob", "api", "file:///srv/git/platform.git", SHA, "prod-us", "api", "apps", "v1",
                "Deployment", "api", event, "MODIFIED", "SKIPPED", DEBUG, "- " + DEBUG + ": absent -> {\"value\":\"1\"}", null)
                .withDetails(AuditEntry.Details.NONE.withChangedBy(DEBUG + "\tkubectl-edit\t2026-10-31T20:00:00Z")));
    }

    /** The controls the golden file shows: SOC 2 CC8.1 evidenced by both bindings, ISO 27001 A.8.32 by web only. */
    static Compliance compliance(AuditLog log) {
        Measures measures = Measures.of(log, PERIOD, null, Measures.DEFAULT_RECURRENCE);
        return new Compliance(measures, List.of(
                new Compliance.Control("ISO27001-A.8.32", List.of("web"),
                        Measures.of(log, PERIOD, List.of("web"), Measures.DEFAULT_RECURRENCE).total()),
                new Compliance.Control("SOC2-CC8.1", List.of("api", "web"),
                        Measures.of(log, PERIOD, List.of("api", "web"), Measures.DEFAULT_RECURRENCE).total())));
    }

    /** The compliance section as the JSON report writes it. */
    static String json(Compliance compliance) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JsonMapper.builder().build().writerWithDefaultPrettyPrinter().createGenerator(out)) {
            JsonReport.compliance(json, compliance);
        }
        return out + "\n";
    }

    /** The measures and the summary per binding (the numbers every report shows twice) agree, binding by binding. */
    static void assertSummaryAgrees(AuditLog log, Measures measures) throws IOException {
        Summary summary = Summary.of(handler -> log.stream(PERIOD, handler), log.inventory().sizes());
        assertThat(summary.bindings()).hasSameSizeAs(measures.bindings());
        for (Summary.BindingSummary b : summary.bindings()) {
            Measures.Group group = measures.binding(b.cluster(), b.binding());
            assertThat(group).as(b.binding()).isNotNull();
            for (Measure measure : Measure.values()) {
                assertThat(group.count(measure)).as(b.binding() + " " + measure).isEqualTo(b.count(measure));
            }
            assertThat(group.meanTimeToCorrect()).as(b.binding() + " mean time to correct").isEqualTo(b.meanTimeToCorrect());
        }
    }

    /** The whole HTML page of the period, with the measures, as {@code report --format html} writes it. */
    static String html(AuditLog log, Compliance compliance) throws IOException {
        StringWriter out = new StringWriter();
        Rows rows = handler -> log.stream(PERIOD, handler);
        HtmlReport.write(Summary.of(rows, log.inventory().sizes()), ExceptionStatus.NONE, compliance, rows, "Rows since 2026-11-01 until 2026-11-08", out);
        return out.toString();
    }

    /** Compares with {@code expected-measures.json}. */
    static void assertGolden(String actual) throws IOException {
        assertGolden("expected-measures.json", actual);
    }

    /** Compares with the golden file {@code name}; {@code -Dgolden.regenerate=true} rewrites it (review the diff). */
    static void assertGolden(String name, String actual) throws IOException {
        if (Boolean.getBoolean("golden.regenerate")) {
            Files.writeString(Path.of("src/test/resources/io/driftwarden/audit/report", name), actual, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = AuditTrailFixture.class.getResourceAsStream(name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

}
