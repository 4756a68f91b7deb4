package io.driftwarden.audit;

/**
 * One row to append, before the log gives it a sequence number, a time and its place in the hash chain.
 * Object fields are null for rows about a whole binding (a binding that failed to render, say).
 * {@code maskedDiff} and {@code error} must already be free of Secret values.
 */
public record AuditEntry(
        String runId,
        String trigger,
        String binding,
        String sourceUrl,
        String commit,
        String cluster,
        String namespace,
        String group,
        String version,
        String kind,
        String name,
        EventType event,
        String driftType,
        String action,
        String changedPaths,
        String maskedDiff,
        String error,
        Details details) {

    /**
     * What a row can carry beyond the drift (Flyway V11), each null when it does not apply. The chain covers a detail
     * only when it is present, so rows written before the details existed still verify.
     *
     * @param changedBy who last changed each drifted path, from {@code managedFields}: one
     *     {@code path<TAB>manager<TAB>time} line a path ({@code unknown} where the server keeps none)
     * @param healthState kstatus's {@code Current}, {@code InProgress}, {@code Failed} or {@code Unknown}
     * @param healthMessage why the object is in that state, from its conditions
     * @param exceptionName the approved exception that covered the drift, or that expired
     * @param chart the remote Helm chart rendered: repository, name and version
     * @param chartDigest the chart's verified digest ({@code sha256:...})
     */
    public record Details(String changedBy, String healthState, String healthMessage, String exceptionName, String chart,
            String chartDigest) {

        /** No details: what every row written before V11 has. */
        public static final Details NONE = new Details(null, null, null, null, null, null);

        /** The details as (column, value) pairs, in column order; the chain hashes the present ones. */
        public String[][] columns() {
            return new String[][] {{"changed_by", changedBy}, {"health_state", healthState},
                {"health_message", healthMessage}, {"exception_name", exceptionName}, {"chart", chart},
                {"chart_digest", chartDigest}};
        }

        public Details withChangedBy(String value) {
            return new Details(value, healthState, healthMessage, exceptionName, chart, chartDigest);
        }

        public Details withHealth(String state, String message) {
            return new Details(changedBy, state, message, exceptionName, chart, chartDigest);
        }

        public Details withException(String name) {
            return new Details(changedBy, healthState, healthMessage, name, chart, chartDigest);
        }

        public Details withChart(String reference, String digest) {
            return new Details(changedBy, healthState, healthMessage, exceptionName, reference, digest);
        }
    }

    public AuditEntry {
        details = details == null ? Details.NONE : details;
    }

    /** A row without details. */
    public AuditEntry(String runId, String trigger, String binding, String sourceUrl, String commit, String cluster,
            String namespace, String group, String version, String kind, String name, EventType event, String driftType,
            String action, String changedPaths, String maskedDiff, String error) {
        this(runId, trigger, binding, sourceUrl, commit, cluster, namespace, group, version, kind, name, event, driftType,
                action, changedPaths, maskedDiff, error, Details.NONE);
    }

    /** This row with other details. */
    public AuditEntry withDetails(Details other) {
        return new AuditEntry(runId, trigger, binding, sourceUrl, commit, cluster, namespace, group, version, kind, name,
                event, driftType, action, changedPaths, maskedDiff, error, other);
    }

    /** {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped objects; empty for binding rows. */
    public String subject() {
        if (kind == null) {
            return "";
        }
        return namespace == null || namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }
}
