package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditEntry;
import io.driftwarden.audit.AuditRecord;
import io.driftwarden.audit.EventType;
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
 * What a range of audit rows says, built in one pass: each drift once (see {@link Measure} for what a drift is and
 * what each number counts), the {@link Measure measures} per cluster and binding, the mean time to correct, the last
 * run with no failure, how much was in sync at the binding's last run in the range (against its inventory), and the
 * drifts first found per day. Memory grows with the drifts and bindings in the range, not with its rows.
 */
public record Summary(long rows, List<BindingSummary> bindings, Map<LocalDate, Long> driftsPerDay, List<DriftLine> drifts) {

    /** One binding on one cluster. {@code inSyncPercent}, {@code meanTimeToCorrect} and {@code lastSuccessfulRun} may be null. */
    public record BindingSummary(String cluster, String binding, int objectsManaged, Integer inSyncPercent, long driftsFound,
                                 long corrected, long excepted, long failed, long left, long bindingFailures, long unmanaged,
                                 Duration meanTimeToCorrect, Instant lastSuccessfulRun, long healthFailed) {

        /** The value of {@code measure}: how every writer reads the numbers, so they agree. */
        public long count(Measure measure) {
            return switch (measure) {
                case FOUND -> driftsFound;
                case CORRECTED -> corrected;
                case EXCEPTED -> excepted;
                case FAILED -> failed;
                case LEFT -> left;
                case OPEN -> failed + left;
                case BINDING_FAILURES -> bindingFailures;
                case UNMANAGED -> unmanaged;
                case HEALTH_FAILED -> healthFailed;
            };
        }
    }

    /**
     * One drift and its story: where it was, the path ({@code ""} for a whole object: {@code MISSING}, {@code EXTRA}),
     * when it was first and last reported and in how many runs, who last changed the path and when ({@code kubectl-edit at
     * 2026-12-03T02:14:00Z}, from the row's {@code changed_by}; older rows: the manager the diff names, {@code kubectl-set};
     * null when the trail does not record it), what was done ({@code DETECTED ×2 → INTENT
     * CONFIGURED → CORRECTED}), how it ended (one of {@link Measure#OUTCOMES}) and, when corrected, when and how long
     * after its first row. {@code error} is the last failure's, {@code commit} the last row's. {@code managers} are the
     * managers its rows' {@code changed_by} name for its path (any path, for a whole object), sorted.
     */
    public record DriftLine(String cluster, String binding, String subject, String path, String driftType, long firstSeq,
                            Instant firstSeen, Instant lastSeen, int runs, String changedBy, String done, Measure outcome,
                            Instant correctedAt, Duration timeToCorrect, String error, String commit, List<String> managers) {
    }

    /** A duration as the reports show it: seconds, to the millisecond ({@code 1.853}, {@code 7384}). */
    public static java.math.BigDecimal seconds(Duration duration) {
        java.math.BigDecimal seconds = java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros();
        return seconds.scale() < 0 ? seconds.setScale(0) : seconds;
    }

    /** Reads {@code rows} once; {@code managed} is the size of each binding's inventory now. */
    public static Summary of(Rows rows, Map<String, Integer> managed) throws IOException {
        Map<String, Acc> bindings = new TreeMap<>();
        Map<LocalDate, Long> perDay = new TreeMap<>();
        List<Story> stories = new ArrayList<>();
        long[] count = {0};
        rows.each(record -> {
            count[0]++;
            AuditEntry e = record.entry();
            Acc acc = bindings.computeIfAbsent(e.cluster() + "\u0000" + e.binding(), k -> new Acc(e.cluster(), e.binding()));
            for (Story found : acc.accept(record)) {
                stories.add(found);
                perDay.merge(LocalDate.ofInstant(record.time(), ZoneOffset.UTC), 1L, Long::sum);
            }
        });
        List<BindingSummary> summaries = new ArrayList<>();
        bindings.values().forEach(acc -> summaries.add(acc.finish(managed.getOrDefault(acc.binding, 0))));
        return new Summary(count[0], summaries, perDay, stories.stream().map(Story::line).toList());
    }

    /** The rows of one drift so far. */
    private static final class Story {
        final String cluster;
        final String binding;
        final String subject;
        final String path;
        final long firstSeq;
        final Instant firstSeen;
        String driftType;
        Instant lastSeen;
        String lastRun;
        int runs;
        String changedBy;
        final java.util.TreeSet<String> managers = new java.util.TreeSet<>();
        final List<String> steps = new ArrayList<>();
        final List<Integer> repeats = new ArrayList<>();
        boolean failed;
        EventType lastEvent;
        Instant correctedAt;
        String error;
        String commit;

        Story(AuditRecord first, String path) {
            AuditEntry e = first.entry();
            this.cluster = e.cluster();
            this.binding = e.binding();
            this.subject = first.subject();
            this.path = path;
            this.firstSeq = first.seq();
            this.firstSeen = first.time();
        }

        void tell(AuditRecord record) {
            AuditEntry e = record.entry();
            if (!e.runId().equals(lastRun)) {
                runs++;
                lastRun = e.runId();
            }
            lastSeen = record.time();
            if (e.driftType() != null) {
                driftType = e.driftType();
            }
            if (e.commit() != null) {
                commit = e.commit();
            }
            if (changedBy == null) {
                changedBy = e.details().changedBy() != null ? attributed(e.details().changedBy(), path) : changedBy(e.maskedDiff(), path);
            }
            if (e.details().changedBy() != null) {
                e.details().changedBy().lines().map(line -> line.split("\t", -1))
                        .filter(f -> f.length >= 2 && !f[1].isBlank() && (path.isEmpty() || f[0].equals(path)))
                        .forEach(f -> managers.add(f[1]));
            }
            String step = e.event() == EventType.INTENT && e.action() != null ? "INTENT " + e.action() : e.event().name();
            int last = steps.size() - 1;
            if (last >= 0 && steps.get(last).equals(step)) {
                repeats.set(last, repeats.get(last) + 1);
            } else {
                steps.add(step);
                repeats.add(1);
            }
            lastEvent = e.event();
            switch (e.event()) {
                case FAILED -> {
                    failed = true;
                    error = e.error();
                }
                case CORRECTED -> correctedAt = record.time();
                default -> {
                }
            }
        }

        Measure outcome() {
            return correctedAt != null ? Measure.CORRECTED : lastEvent == EventType.EXCEPTED ? Measure.EXCEPTED
                    : failed ? Measure.FAILED : Measure.LEFT;
        }

        Duration timeToCorrect() {
            return correctedAt == null ? null : Duration.between(firstSeen, correctedAt);
        }

        DriftLine line() {
            StringBuilder done = new StringBuilder();
            for (int i = 0; i < steps.size(); i++) {
                done.append(i == 0 ? "" : " → ").append(steps.get(i)).append(repeats.get(i) > 1 ? " ×" + repeats.get(i) : "");
            }
            return new DriftLine(cluster, binding, subject, path, driftType, firstSeq, firstSeen, lastSeen, runs, changedBy,
                    done.toString(), outcome(), correctedAt, timeToCorrect(), error, commit, List.copyOf(managers));
        }

        /** {@code manager at time} of {@code path}'s line in a row's {@code changed_by} ({@code path<TAB>manager<TAB>time}), or null. */
        static String attributed(String changedBy, String path) {
            for (String line : changedBy.split("\n")) {
                String[] parts = line.split("\t", -1);
                if (parts.length == 3 && parts[0].equals(path)) {
                    return parts[1] + " at " + parts[2];
                }
            }
            return null;
        }

        /** The manager a diff line names for {@code path} ({@code ~ a.b: 1 -> absent (added by kubectl-set)}), or null. */
        static String changedBy(String diff, String path) {
            if (diff == null || path.isEmpty()) {
                return null;
            }
            for (String line : diff.split("\n")) {
                int by = line.lastIndexOf("(added by ");
                if (line.length() > 2 && line.startsWith(path + ":", 2) && by > 0 && line.endsWith(")")) {
                    return line.substring(by + "(added by ".length(), line.length() - 1);
                }
            }
            return null;
        }
    }

    /** The running counts of one binding. */
    private static final class Acc {
        final String cluster;
        final String binding;
        final Map<String, Story> open = new HashMap<>();
        final List<Story> stories = new ArrayList<>();
        final Set<String> unmanaged = new HashSet<>();
        /** Each object's last health state (kstatus's name) in the range. */
        final Map<String, String> health = new HashMap<>();
        long bindingFailures;
        String run;
        boolean runFailed;
        Instant runTime;
        Instant lastSuccess;
        Set<String> leftInRun = new HashSet<>();

        Acc(String cluster, String binding) {
            this.cluster = cluster;
            this.binding = binding;
        }

        /** Takes one row; returns the drifts it is the first row of. */
        List<Story> accept(AuditRecord record) {
            AuditEntry e = record.entry();
            if (!e.runId().equals(run)) {
                closeRun();
                run = e.runId();
                runFailed = false;
                leftInRun = new HashSet<>();
            }
            runTime = record.time();
            String subject = record.subject();
            boolean aboutAnObject = e.kind() != null;
            switch (e.event()) {
                case DETECTED, INTENT, REFUSED, CORRECTED, FAILED, EXCEPTED, EXPIRED -> {
                    if (e.event() == EventType.FAILED) {
                        runFailed = true;
                        if (!aboutAnObject) {
                            bindingFailures++;
                        }
                    }
                    if (!aboutAnObject) {
                        return List.of();
                    }
                    if (e.event() == EventType.DETECTED || e.event() == EventType.REFUSED || e.event() == EventType.FAILED
                            || e.event() == EventType.EXCEPTED) {
                        leftInRun.add(subject);
                    } else if (e.event() == EventType.CORRECTED) {
                        leftInRun.remove(subject);
                    }
                    return tell(record);
                }
                case UNMANAGED -> unmanaged.add(subject);
                case HEALTH -> {
                    String state = e.details().healthState();
                    health.put(subject, state);
                    if ("Failed".equals(state)) {
                        runFailed = true; // a Failed object fails its binding's run
                    }
                }
                default -> {
                }
            }
            return List.of();
        }

        /** Each path of the row is one drift: continued when it is open, else found now. */
        private List<Story> tell(AuditRecord record) {
            List<Story> found = new ArrayList<>();
            for (String path : paths(record.entry().changedPaths())) {
                String key = record.subject() + "\u0000" + path;
                Story story = open.get(key);
                if (story == null) {
                    story = new Story(record, path);
                    open.put(key, story);
                    stories.add(story);
                    found.add(story);
                }
                story.tell(record);
                if (story.correctedAt != null) {
                    open.remove(key);
                }
            }
            return found;
        }

        private static List<String> paths(String changedPaths) {
            if (changedPaths == null || changedPaths.isBlank()) {
                return List.of("");
            }
            return changedPaths.lines().map(String::strip).filter(p -> !p.isEmpty()).distinct().toList();
        }

        private void closeRun() {
            if (run != null && !runFailed) {
                lastSuccess = runTime;
            }
        }

        BindingSummary finish(int managed) {
            closeRun();
            long corrected = 0;
            long excepted = 0;
            long failed = 0;
            long left = 0;
            long correctionMillis = 0;
            for (Story story : stories) {
                switch (story.outcome()) {
                    case CORRECTED -> {
                        corrected++;
                        correctionMillis += story.timeToCorrect().toMillis();
                    }
                    case EXCEPTED -> excepted++;
                    case FAILED -> failed++;
                    default -> left++;
                }
            }
            Integer inSync = managed == 0 ? null : (int) Math.round(100.0 * Math.max(0, managed - leftInRun.size()) / managed);
            Duration mean = corrected == 0 ? null : Duration.ofMillis(correctionMillis / corrected);
            return new BindingSummary(cluster, binding, managed, inSync, stories.size(), corrected, excepted, failed, left, bindingFailures,
                    unmanaged.size(), mean, lastSuccess, health.values().stream().filter("Failed"::equals).count());
        }
    }
}
