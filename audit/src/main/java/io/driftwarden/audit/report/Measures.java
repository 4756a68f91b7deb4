package io.driftwarden.audit.report;

import io.driftwarden.audit.AuditException;
import io.driftwarden.audit.ReportFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The {@link Measure measures} of a range of the audit table, per cluster and binding, per cluster and in total —
 * drifts found, corrected, excepted, failed, left, open, binding failures, unmanaged objects, and the time to correct
 * (mean, median and 90th percentile, nearest rank) — then the object paths that drifted again and again (recurrence,
 * with the managers that changed them) and the coverage of each binding's namespaces.
 *
 * <p>Where the numbers come from: the store's SQL selects the range's rows and streams them in {@code seq} order (the
 * same statement on H2 and PostgreSQL); {@link Summary} folds them once into drifts — the one place a drift is told
 * apart (see {@link Measure}) — and these measures are counted from its drifts, so every report, per binding or per
 * control, agrees with its drift lines. Coverage is one SQL statement of its own (the inventory and each binding's
 * latest run). Why not one SQL statement for all of it: pairing a drift's rows needs a window function or a self-join
 * over the paths split out of {@code changed_paths}; H2 evaluates window functions in memory (a 200,000-row trail ran
 * out of a 64 MB heap) and joins derived tables without an index (the split and join alone took 53 s where streaming
 * the rows takes 7 s, measured on our loaded 2-core machine), while the streamed fold needs memory for the drifts only.
 */
public record Measures(Instant since, Instant until, List<Group> bindings, List<Group> clusters, Group total, int threshold,
                       long recurringPaths, List<Recurring> recurring, List<Coverage> coverage) {

    /** The default N of recurrence: an object path that drifted this many times or more in the range recurs. */
    public static final int DEFAULT_RECURRENCE = 3;

    /** How many recurring object paths the reports list (the most frequent first). */
    public static final int TOP_OFFENDERS = 10;

    /**
     * The measures of one binding on one cluster, of one cluster ({@code binding} null) or of everything (both null).
     * The three durations are null when nothing was corrected.
     */
    public record Group(String cluster, String binding, Map<Measure, Long> counts, long correctedTimed, Duration meanTimeToCorrect,
                        Duration medianTimeToCorrect, Duration p90TimeToCorrect) {

        public long count(Measure measure) {
            return counts.getOrDefault(measure, 0L);
        }
    }

    /** One object path that drifted {@code drifts} times; {@code managers} changed it (from the rows' changed_by), sorted. */
    public record Recurring(String cluster, String binding, String subject, String path, long drifts, List<String> managers) {
    }

    /** Managed and unmanaged objects of a binding (or a cluster, or all: null names); {@code percent} null when both are 0. */
    public record Coverage(String cluster, String binding, long managed, long unmanaged, java.math.BigDecimal percent) {
    }

    /**
     * The measures of the rows {@code filter} selects, only those of {@code bindings} when not
     * null (a control's): reads the rows once through {@link Summary}, then the coverage.
     */
    public static Measures of(io.driftwarden.audit.AuditLog audit, ReportFilter filter, Collection<String> bindings, int threshold) {
        Rows rows = handler -> audit.stream(filter, record -> {
            if (bindings == null || bindings.contains(record.entry().binding())) {
                handler.row(record);
            }
        });
        try {
            Summary summary = Summary.of(rows, Map.of());
            return of(summary, filter, threshold, coverage(audit.dataSource(), filter, bindings));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The measures of what {@code summary} read (the rows of {@code filter}), with {@code coverage} beside. */
    public static Measures of(Summary summary, ReportFilter filter, int threshold, List<Coverage> coverage) {
        return of(summary, filter.since(), filter.until(), threshold, coverage, null);
    }

    /** The measures of {@code summary} restricted to {@code bindings} (null: all), e.g. a control's. */
    static Measures of(Summary summary, Instant since, Instant until, int threshold, List<Coverage> coverage, Collection<String> bindings) {
        Map<String, Acc> perBinding = new TreeMap<>();
        Map<String, Acc> perCluster = new TreeMap<>();
        Acc total = new Acc(null, null);
        for (Summary.BindingSummary b : summary.bindings()) {
            if (bindings != null && !bindings.contains(b.binding())) {
                continue;
            }
            String cluster = Objects.toString(b.cluster(), "");
            perBinding.computeIfAbsent(cluster + "\u0000" + b.binding(), k -> new Acc(cluster, b.binding())).rows(b);
            perCluster.computeIfAbsent(cluster, k -> new Acc(cluster, null)).rows(b);
            total.rows(b);
        }
        Map<String, long[]> perPath = new TreeMap<>();
        Map<String, TreeSet<String>> managers = new TreeMap<>();
        for (Summary.DriftLine d : summary.drifts()) {
            if (bindings != null && !bindings.contains(d.binding())) {
                continue;
            }
            String cluster = Objects.toString(d.cluster(), "");
            perBinding.computeIfAbsent(cluster + "\u0000" + d.binding(), k -> new Acc(cluster, d.binding())).drift(d);
            perCluster.computeIfAbsent(cluster, k -> new Acc(cluster, null)).drift(d);
            total.drift(d);
            String key = cluster + "\u0000" + d.binding() + "\u0000" + d.subject() + "\u0000" + d.path();
            perPath.computeIfAbsent(key, k -> new long[1])[0]++;
            managers.computeIfAbsent(key, k -> new TreeSet<>()).addAll(d.managers());
        }
        List<Recurring> recurring = new ArrayList<>();
        perPath.forEach((key, count) -> {
            if (count[0] >= Math.max(1, threshold)) {
                String[] k = key.split("\u0000", -1);
                recurring.add(new Recurring(k[0], k[1], k[2], k[3], count[0], List.copyOf(managers.get(key))));
            }
        });
        recurring.sort(Comparator.comparingLong(Recurring::drifts).reversed().thenComparing(Recurring::cluster)
                .thenComparing(Recurring::binding).thenComparing(Recurring::subject).thenComparing(Recurring::path));
        return new Measures(since, until, perBinding.values().stream().map(Acc::group).toList(),
                perCluster.values().stream().map(Acc::group).toList(), total.group(), threshold, recurring.size(),
                List.copyOf(recurring.subList(0, Math.min(TOP_OFFENDERS, recurring.size()))), coverage);
    }

    /** The measures of the bindings that evidence a control, taken together: the total of their drifts. */
    public Group total(Summary summary, Collection<String> evidencing) {
        return of(summary, since, until, threshold, List.of(), evidencing).total();
    }

    /** The running counts of one group. */
    private static final class Acc {
        final String cluster;
        final String binding;
        final Map<Measure, Long> counts = new EnumMap<>(Measure.class);
        final List<Long> millis = new ArrayList<>();

        Acc(String cluster, String binding) {
            this.cluster = cluster;
            this.binding = binding;
            for (Measure measure : Measure.values()) {
                counts.put(measure, 0L);
            }
        }

        void rows(Summary.BindingSummary b) {
            counts.merge(Measure.BINDING_FAILURES, b.bindingFailures(), Long::sum);
            counts.merge(Measure.UNMANAGED, b.unmanaged(), Long::sum);
        }

        void drift(Summary.DriftLine d) {
            counts.merge(Measure.FOUND, 1L, Long::sum);
            counts.merge(d.outcome(), 1L, Long::sum);
            if (d.outcome() == Measure.FAILED || d.outcome() == Measure.LEFT) {
                counts.merge(Measure.OPEN, 1L, Long::sum);
            }
            if (d.timeToCorrect() != null) {
                millis.add(d.timeToCorrect().toMillis());
            }
        }

        Group group() {
            if (millis.isEmpty()) {
                return new Group(cluster, binding, counts, 0, null, null, null);
            }
            long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
            long sum = 0;
            for (long value : sorted) {
                sum += value;
            }
            return new Group(cluster, binding, counts, sorted.length, Duration.ofMillis(sum / sorted.length),
                    Duration.ofMillis(nearestRank(sorted, 0.5)), Duration.ofMillis(nearestRank(sorted, 0.9)));
        }
    }

    /** The ⌈p·n⌉-th smallest of {@code sorted} (nearest rank; p in (0, 1]). */
    static long nearestRank(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }

    /**
     * The coverage of each binding with rows in the range (only {@code bindings} when not null), then per cluster and in
     * total: one SQL statement on the inventory and each binding's latest run.
     */
    public static List<Coverage> coverage(DataSource dataSource, ReportFilter filter, Collection<String> bindings) {
        try (Connection connection = dataSource.getConnection()) {
            return coverage(connection, new Range(filter, bindings));
        } catch (SQLException e) {
            throw new AuditException("cannot count the coverage: " + e.getMessage(), e);
        }
    }

    private static String key(String cluster, String binding) {
        return (cluster == null ? "" : cluster) + "\u0000" + (binding == null ? "" : binding);
    }

    /** The range as SQL conditions on {@code audit_event} (alias-free) and their arguments. */
    private record Range(ReportFilter filter, Collection<String> bindings) {

        String where() {
            StringBuilder sql = new StringBuilder();
            if (filter.since() != null) {
                sql.append(" AND event_time >= ?");
            }
            if (filter.until() != null) {
                sql.append(" AND event_time < ?");
            }
            if (filter.binding() != null) {
                sql.append(" AND binding_name = ?");
            }
            if (filter.cluster() != null) {
                sql.append(" AND cluster = ?");
            }
            if (bindings != null) {
                sql.append(bindings.isEmpty() ? " AND 1 = 0" : " AND binding_name IN (" + "?, ".repeat(bindings.size() - 1) + "?)");
            }
            return sql.toString();
        }

        int bind(PreparedStatement statement, int from) throws SQLException {
            int i = from;
            if (filter.since() != null) {
                statement.setObject(i++, filter.since().atOffset(ZoneOffset.UTC));
            }
            if (filter.until() != null) {
                statement.setObject(i++, filter.until().atOffset(ZoneOffset.UTC));
            }
            if (filter.binding() != null) {
                statement.setString(i++, filter.binding());
            }
            if (filter.cluster() != null) {
                statement.setString(i++, filter.cluster());
            }
            if (bindings != null) {
                for (String binding : new TreeSet<>(bindings)) {
                    statement.setString(i++, binding);
                }
            }
            return i;
        }
    }

    /**
     * Per binding: its inventory now, and the distinct objects its latest run in the range that wrote a row about an
     * object reported UNMANAGED; then per cluster and in total (the sums), last.
     */
    private static List<Coverage> coverage(Connection connection, Range range) throws SQLException {
        String sql = "SELECT l.binding_name, l.cl, (SELECT COUNT(*) FROM inventory i WHERE i.binding_name = l.binding_name),"
                + " (SELECT COUNT(DISTINCT u.kind || '/' || COALESCE(u.namespace, '') || '/' || u.name) FROM audit_event u"
                + " WHERE u.run_id = l.run_id AND u.binding_name = l.binding_name AND u.event = 'UNMANAGED')"
                + " FROM (SELECT binding_name, COALESCE(cluster, '') AS cl, run_id FROM audit_event WHERE seq IN"
                + " (SELECT MAX(seq) FROM audit_event WHERE kind IS NOT NULL" + range.where()
                + " GROUP BY binding_name, COALESCE(cluster, ''))) l";
        Map<String, Coverage> perBinding = new TreeMap<>();
        Map<String, long[]> perCluster = new TreeMap<>();
        long[] total = new long[2];
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            range.bind(query, 1);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Coverage coverage = coverage(rows.getString(2), rows.getString(1), rows.getLong(3), rows.getLong(4));
                    perBinding.put(key(coverage.cluster(), coverage.binding()), coverage);
                    long[] sums = perCluster.computeIfAbsent(coverage.cluster(), k -> new long[2]);
                    sums[0] += coverage.managed();
                    sums[1] += coverage.unmanaged();
                    total[0] += coverage.managed();
                    total[1] += coverage.unmanaged();
                }
            }
        }
        List<Coverage> all = new ArrayList<>(perBinding.values());
        perCluster.forEach((cluster, sums) -> all.add(coverage(cluster, null, sums[0], sums[1])));
        all.add(coverage(null, null, total[0], total[1]));
        return all;
    }

    private static Coverage coverage(String cluster, String binding, long managed, long unmanaged) {
        java.math.BigDecimal percent = managed + unmanaged == 0 ? null
                : java.math.BigDecimal.valueOf(managed * 100L).divide(java.math.BigDecimal.valueOf(managed + unmanaged), 1,
                        java.math.RoundingMode.HALF_UP);
        return new Coverage(cluster, binding, managed, unmanaged, percent);
    }

    /** The group of one binding on one cluster, if it had rows in the range. */
    public Group binding(String cluster, String binding) {
        return bindings.stream().filter(g -> g.binding().equals(binding) && g.cluster().equals(cluster == null ? "" : cluster))
                .findFirst().orElse(null);
    }
}
