package io.driftwarden.config;

/**
 * Where audit rows go: a JDBC URL (H2 file by default, PostgreSQL in production) and its credentials; how long a
 * run's lease lasts without a heartbeat ({@code leaseTimeout}: a run silent for longer has died, and a binding lease
 * older than that is free); and where the chain's signed checkpoints go ({@code null}: none are written).
 */
public record AuditSettings(String url, String username, SecretRef password, java.time.Duration leaseTimeout,
                            CheckpointSettings checkpoints) {

    /** The lease timeout when the config names none: a run renews its leases every third of it. */
    public static final java.time.Duration DEFAULT_LEASE_TIMEOUT = java.time.Duration.ofSeconds(60);

    /** A store with the default lease timeout and without checkpoints. */
    public AuditSettings(String url, String username, SecretRef password) {
        this(url, username, password, DEFAULT_LEASE_TIMEOUT, null);
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
