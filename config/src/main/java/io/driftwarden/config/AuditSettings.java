package io.driftwarden.config;

/**
 * Where audit rows go: a JDBC URL (H2 file by default, PostgreSQL in production) and its credentials; and where the
 * chain's signed checkpoints go ({@code null}: none are written).
 */
public record AuditSettings(String url, String username, SecretRef password, CheckpointSettings checkpoints) {

    /** A store without checkpoints. */
    public AuditSettings(String url, String username, SecretRef password) {
        this(url, username, password, null);
    }

    /**
     * The default store: an H2 file under {@code ./.driftwarden/}, where {@code demo} also writes. With
     * {@code AUTO_SERVER} a second process (a report during a run) opens it through the first one.
     */
    public static final String DEFAULT_URL = "jdbc:h2:file:./.driftwarden/audit;AUTO_SERVER=TRUE";

    public static AuditSettings defaults() {
        return new AuditSettings(DEFAULT_URL, "sa", null);
    }

    /** The password, resolved from its reference; empty when none is configured. */
    public String resolvePassword() {
        return password == null ? "" : password.resolve();
    }
}
