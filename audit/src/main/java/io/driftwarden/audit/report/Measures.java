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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The {@link Measure measures} of a range of the audit table, counted by SQL that runs unchanged on H2 and PostgreSQL:
 * per cluster and binding, per cluster and in total — drifts found, corrected, excepted, failed, left, open, binding
 * failures, unmanaged objects, and the time to correct (mean, median and 90th percentile, nearest rank) — then the
 * object paths that drifted again and again (recurrence, with the managers that changed them) and the coverage of
 * each binding's namespaces.
 *
 * <p>How a drift is told apart in SQL, as {@link Summary} does in Java: each row about an object (DETECTED, INTENT,
 * REFUSED, CORRECTED, FAILED, EXCEPTED) is split into its changed paths (none: the whole object, path {@code ""});
 * the rows of one object path, in {@code seq} order, belong to one drift until its CORRECTED row, and the next row
 * after a correction begins a new drift ({@code story} = the number of CORRECTED rows before it). Only rows in the
 * range are read: a drift whose first row lies before {@code since} is counted from its first row in the range.
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

    private static final String STORY_EVENTS = "'DETECTED', 'INTENT', 'REFUSED', 'CORRECTED', 'FAILED', 'EXCEPTED'";
    private static final String KEY = "binding_name, cl, kind, ns, name, path";

    /** The drifts of the range, one row each: the common subset of H2 2.x and PostgreSQL SQL. */
    private static final String STORIES = """
            WITH RECURSIVE ev (seq, event_time, binding_name, cl, kind, ns, name, event, paths) AS (
              SELECT seq, event_time, binding_name, COALESCE(cluster, '') AS cl, kind, COALESCE(namespace, '') AS ns, name, event,
                     COALESCE(changed_paths, '') AS paths
              FROM audit_event WHERE kind IS NOT NULL AND event IN (%s) %s
            ), parts (seq, depth, path, rest) AS (
              SELECT seq, 0, CAST('' AS VARCHAR(1000000)), CAST(paths || CHR(10) AS VARCHAR(1000000)) FROM ev
              UNION ALL
              SELECT seq, depth + 1, CAST(TRIM(SUBSTRING(rest FROM 1 FOR POSITION(CHR(10) IN rest) - 1)) AS VARCHAR(1000000)),
                     CAST(SUBSTRING(rest FROM POSITION(CHR(10) IN rest) + 1) AS VARCHAR(1000000))
              FROM parts WHERE rest <> ''
            ), drift_rows (seq, event_time, binding_name, cl, kind, ns, name, event, path) AS (
              SELECT DISTINCT e.seq, e.event_time, e.binding_name, e.cl, e.kind, e.ns, e.name, e.event, p.path
              FROM ev e JOIN parts p ON p.seq = e.seq
              WHERE (p.depth > 0 AND p.path <> '') OR (p.depth = 0 AND TRIM(REPLACE(e.paths, CHR(10), '')) = '')
            ), numbered (seq, event_time, binding_name, cl, kind, ns, name, event, path, story, from_end) AS (
              SELECT d.seq, d.event_time, d.binding_name, d.cl, d.kind, d.ns, d.name, d.event, d.path,
                     COALESCE(SUM(CASE WHEN event = 'CORRECTED' THEN 1 ELSE 0 END) OVER (PARTITION BY %s ORDER BY seq
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS story,
                     ROW_NUMBER() OVER (PARTITION BY %s ORDER BY seq DESC) AS from_end
              FROM drift_rows d
            ), stories (binding_name, cl, kind, ns, name, path, story, first_seq, first_time, corrected_time, failed, excepted) AS (
              SELECT binding_name, cl, kind, ns, name, path, story, MIN(seq) AS first_seq, MIN(event_time) AS first_time,
                     MAX(CASE WHEN event = 'CORRECTED' THEN event_time END) AS corrected_time,
                     MAX(CASE WHEN event = 'FAILED' THEN 1 ELSE 0 END) AS failed,
                     MAX(CASE WHEN from_end = 1 AND event = 'EXCEPTED' THEN 1 ELSE 0 END) AS excepted
              FROM numbered GROUP BY binding_name, cl, kind, ns, name, path, story
            ), drifts (binding_name, cl, kind, ns, name, path, story, first_seq, first_time, outcome, ttc_ms) AS (
              SELECT binding_name, cl, kind, ns, name, path, story, first_seq, first_time,
                     CASE WHEN corrected_time IS NOT NULL THEN 'CORRECTED' WHEN excepted = 1 THEN 'EXCEPTED'
                          WHEN failed = 1 THEN 'FAILED' ELSE 'LEFT' END AS outcome,
                     CASE WHEN corrected_time IS NOT NULL THEN CAST(ROUND((EXTRACT(EPOCH FROM corrected_time)
                          - EXTRACT(EPOCH FROM first_time)) * 1000) AS BIGINT) END AS ttc_ms
              FROM stories s
            )
            """.formatted(STORY_EVENTS, "%1$s", KEY, KEY);

    /**
     * Counts the measures of the rows {@code filter} selects (its run id is ignored); {@code bindings}, when not null,
     * keeps only those bindings (a control's); {@code threshold} is recurrence's N.
     */
    public static Measures of(DataSource dataSource, ReportFilter filter, Collection<String> bindings, int threshold) {
        Range range = new Range(filter, bindings);
        try (Connection connection = dataSource.getConnection()) {
            Map<String, Group> perBinding = new TreeMap<>();
            for (Group group : groups(connection, range, "binding_name, cl", true, true)) {
                perBinding.put(group.cluster() + "\u0000" + group.binding(), group);
            }
            List<Group> perCluster = groups(connection, range, "cl", true, false);
            List<Group> all = groups(connection, range, null, false, false);
            Group total = all.isEmpty() ? new Group(null, null, Map.of(), 0, null, null, null) : all.get(0);
            List<Recurring> recurring = recurring(connection, range, threshold);
            List<Recurring> top = new ArrayList<>();
            for (Recurring offender : recurring.subList(0, Math.min(TOP_OFFENDERS, recurring.size()))) {
                top.add(withManagers(connection, range, offender));
            }
            return new Measures(filter.since(), filter.until(), List.copyOf(perBinding.values()), perCluster, total, threshold,
                    recurring.size(), top, coverage(connection, range));
        } catch (SQLException e) {
            throw new AuditException("cannot count the measures: " + e.getMessage(), e);
        }
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

    /** The drift measures grouped by {@code groupBy} (null: one group of everything), with the row measures beside. */
    private static List<Group> groups(Connection connection, Range range, String groupBy, boolean byCluster, boolean byBinding)
            throws SQLException {
        String columns = groupBy == null ? "" : groupBy + ", ";
        String sql = STORIES.formatted(range.where()) + "SELECT " + columns + "COUNT(*),"
                + " SUM(CASE WHEN outcome = 'CORRECTED' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'EXCEPTED' THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN outcome = 'FAILED' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'LEFT' THEN 1 ELSE 0 END),"
                + " SUM(ttc_ms), PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY ttc_ms),"
                + " PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY ttc_ms) FROM drifts"
                + (groupBy == null ? "" : " GROUP BY " + groupBy);
        Map<String, Group> groups = new TreeMap<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            range.bind(query, 1);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int at = 1;
                    String binding = byBinding ? rows.getString(at++) : null;
                    String cluster = byCluster ? rows.getString(at++) : null;
                    Map<Measure, Long> counts = new EnumMap<>(Measure.class);
                    counts.put(Measure.FOUND, rows.getLong(at++));
                    counts.put(Measure.CORRECTED, rows.getLong(at++));
                    counts.put(Measure.EXCEPTED, rows.getLong(at++));
                    counts.put(Measure.FAILED, rows.getLong(at++));
                    counts.put(Measure.LEFT, rows.getLong(at++));
                    counts.put(Measure.OPEN, counts.get(Measure.FAILED) + counts.get(Measure.LEFT));
                    long corrected = counts.get(Measure.CORRECTED);
                    long sum = rows.getLong(at++);
                    Duration mean = corrected == 0 ? null : Duration.ofMillis(sum / corrected);
                    Duration median = millis(rows, at++);
                    Duration p90 = millis(rows, at);
                    groups.put(key(cluster, binding), new Group(cluster, binding, counts, corrected, mean, median, p90));
                }
            }
        }
        rowMeasures(connection, range, groupBy, byCluster, byBinding, groups);
        return List.copyOf(groups.values());
    }

    private static Duration millis(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : Duration.ofMillis(value);
    }

    private static String key(String cluster, String binding) {
        return (cluster == null ? "" : cluster) + "\u0000" + (binding == null ? "" : binding);
    }

    /**
     * Binding failures (FAILED rows about no object) and unmanaged objects (distinct objects of UNMANAGED rows) per group;
     * a group with rows but no drift gets zero drift counts.
     */
    private static void rowMeasures(Connection connection, Range range, String groupBy, boolean byCluster, boolean byBinding,
                                    Map<String, Group> groups) throws SQLException {
        String columns = groupBy == null ? "" : groupBy + ", ";
        String sql = "SELECT " + columns + "SUM(CASE WHEN event = 'FAILED' AND kind IS NULL THEN 1 ELSE 0 END),"
                + " COUNT(DISTINCT CASE WHEN event = 'UNMANAGED' THEN kind || '/' || COALESCE(namespace, '') || '/' || name END)"
                + " FROM (SELECT audit_event.*, COALESCE(cluster, '') AS cl FROM audit_event WHERE 1 = 1" + range.where() + ") r"
                + (groupBy == null ? "" : " GROUP BY " + groupBy);
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            range.bind(query, 1);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int at = 1;
                    String binding = byBinding ? rows.getString(at++) : null;
                    String cluster = byCluster ? rows.getString(at++) : null;
                    long failures = rows.getLong(at++);
                    long unmanaged = rows.getLong(at);
                    Group found = groups.get(key(cluster, binding));
                    Map<Measure, Long> counts = new EnumMap<>(Measure.class);
                    for (Measure measure : Measure.values()) {
                        counts.put(measure, found == null ? 0L : found.count(measure));
                    }
                    counts.put(Measure.BINDING_FAILURES, failures);
                    counts.put(Measure.UNMANAGED, unmanaged);
                    groups.put(key(cluster, binding), found == null ? new Group(cluster, binding, counts, 0, null, null, null)
                            : new Group(cluster, binding, counts, found.correctedTimed(), found.meanTimeToCorrect(),
                            found.medianTimeToCorrect(), found.p90TimeToCorrect()));
                }
            }
        }
    }

    /** Every object path with at least {@code threshold} drifts in the range, the most frequent first. */
    private static List<Recurring> recurring(Connection connection, Range range, int threshold) throws SQLException {
        String sql = STORIES.formatted(range.where()) + "SELECT cl, binding_name, kind, ns, name, path, COUNT(*) FROM drifts"
                + " GROUP BY " + KEY + " HAVING COUNT(*) >= ?";
        List<Recurring> recurring = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setInt(range.bind(query, 1), Math.max(1, threshold));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String ns = rows.getString(4);
                    String subject = rows.getString(3) + "/" + (ns.isEmpty() ? "" : ns + "/") + rows.getString(5);
                    recurring.add(new Recurring(rows.getString(1), rows.getString(2), subject, rows.getString(6), rows.getLong(7), List.of()));
                }
            }
        }
        recurring.sort(Comparator.comparingLong(Recurring::drifts).reversed().thenComparing(Recurring::cluster)
                .thenComparing(Recurring::binding).thenComparing(Recurring::subject).thenComparing(Recurring::path));
        return recurring;
    }

    /** The managers the rows' {@code changed_by} lines ({@code path<TAB>manager<TAB>time}) name for the offender's path. */
    private static Recurring withManagers(Connection connection, Range range, Recurring offender) throws SQLException {
        String[] subject = offender.subject().split("/", 3);
        String kind = subject[0];
        String namespace = subject.length == 3 ? subject[1] : "";
        String name = subject[subject.length - 1];
        String sql = "SELECT changed_by FROM audit_event WHERE changed_by IS NOT NULL AND binding_name = ? AND COALESCE(cluster, '') = ?"
                + " AND kind = ? AND COALESCE(namespace, '') = ? AND name = ?" + range.where();
        Set<String> managers = new TreeSet<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, offender.binding());
            query.setString(2, offender.cluster());
            query.setString(3, kind);
            query.setString(4, namespace);
            query.setString(5, name);
            range.bind(query, 6);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    rows.getString(1).lines().map(line -> line.split("\t", -1))
                            .filter(f -> f.length >= 2 && (offender.path().isEmpty() || f[0].equals(offender.path())))
                            .forEach(f -> managers.add(f[1]));
                }
            }
        }
        return new Recurring(offender.cluster(), offender.binding(), offender.subject(), offender.path(), offender.drifts(),
                List.copyOf(managers));
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
