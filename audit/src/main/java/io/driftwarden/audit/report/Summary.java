package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a range of audit rows says per cluster and binding, built in one pass: drifts found ({@code DETECTED} and
 * {@code INTENT} rows), corrected, failed, unmanaged objects seen, the mean time from an object's first detection to
 * its correction, the last run with no failure, and — against the binding's inventory — how much was in sync at its
 * last run in the range. Also the drifts found per day, for the chart.
 */
public record Summary(long rows, List<BindingSummary> bindings, Map<LocalDate, Long> driftsPerDay) {

    /** One binding on one cluster. {@code inSyncPercent}, {@code meanTimeToCorrect} and {@code lastSuccessfulRun} may be null. */
    public record BindingSummary(String cluster, String binding, int objectsManaged, Integer inSyncPercent, long driftsFound,
                                 long corrected, long failed, int unmanaged, Duration meanTimeToCorrect, Instant lastSuccessfulRun) {
    }

    /** Reads {@code rows} once; {@code managed} is the size of each binding's inventory now. */
    public static Summary of(Rows rows, Map<String, Integer> managed) throws IOException {
        Map<String, Acc> bindings = new TreeMap<>();
        Map<LocalDate, Long> perDay = new TreeMap<>();
        long[] count = {0};
        rows.each(record -> {
            count[0]++;
            AuditEntry e = record.entry();
            Acc acc = bindings.computeIfAbsent(String.valueOf(e.cluster()) + "\u0000" + e.binding(), k -> new Acc(e.cluster(), e.binding()));
            acc.accept(record);
            if (e.event().name().equals("DETECTED") || e.event().name().equals("INTENT")) {
                perDay.merge(LocalDate.ofInstant(record.time(), ZoneOffset.UTC), 1L, Long::sum);
            }
        });
        List<BindingSummary> summaries = new ArrayList<>();
        bindings.values().forEach(acc -> summaries.add(acc.finish(managed.getOrDefault(acc.binding, 0))));
        return new Summary(count[0], summaries, perDay);
    }

    /** The running counts of one binding. */
    private static final class Acc {
        final String cluster;
        final String binding;
        long drifts;
        long corrected;
        long failed;
        final Set<String> unmanaged = new HashSet<>();
        final Map<String, Instant> openDetections = new HashMap<>();
        long correctionMillis;
        long timedCorrections;
        String run;
        boolean runFailed;
        Instant runTime;
        Instant lastSuccess;
        Set<String> leftInRun = new HashSet<>();

        Acc(String cluster, String binding) {
            this.cluster = cluster;
            this.binding = binding;
        }

        void accept(AuditRecord record) {
            AuditEntry e = record.entry();
            if (!e.runId().equals(run)) {
                closeRun();
                run = e.runId();
                runFailed = false;
                leftInRun = new HashSet<>();
            }
            runTime = record.time();
            String subject = record.subject();
            switch (e.event()) {
                case DETECTED:
                    drifts++;
                    leftInRun.add(subject);
                    openDetections.putIfAbsent(subject, record.time());
                    break;
                case INTENT:
                    drifts++;
                    openDetections.putIfAbsent(subject, record.time());
                    break;
                case CORRECTED:
                    corrected++;
                    Instant detected = openDetections.remove(subject);
                    if (detected != null) {
                        correctionMillis += Duration.between(detected, record.time()).toMillis();
                        timedCorrections++;
                    }
                    break;
                case FAILED:
                    failed++;
                    runFailed = true;
                    leftInRun.add(subject);
                    break;
                case UNMANAGED:
                    unmanaged.add(subject);
                    break;
                default:
                    break;
            }
        }

        private void closeRun() {
            if (run != null && !runFailed) {
                lastSuccess = runTime;
            }
        }

        BindingSummary finish(int managed) {
            closeRun();
            Integer inSync = managed == 0 ? null : (int) Math.round(100.0 * Math.max(0, managed - leftInRun.size()) / managed);
            Duration mean = timedCorrections == 0 ? null : Duration.ofMillis(correctionMillis / timedCorrections);
            return new BindingSummary(cluster, binding, managed, inSync, drifts, corrected, failed, unmanaged.size(), mean, lastSuccess);
        }
    }
}
