package io.driftwarden.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image rolled back after a newer one migrated the audit store (the README's "Upgrade and rollback"): what this build
 * does with a store whose Flyway history holds a migration it does not know. A newer build is played by what its
 * migration would leave: one more row in {@code flyway_schema_history} and a nullable column. What it cannot prove: a
 * newer migration that is not additive (a dropped or renamed column, a NOT NULL without default) — those this build
 * would fail on at its first write.
 */
class AuditLogRollbackIT {

    @TempDir
    Path tmp;

    @Test
    void anOlderBuildOpensAStoreANewerBuildMigratedAdditivelyAndItsChainStillVerifies() throws Exception {
        // given: a store at this build's schema, with a row, then migrated by a newer build
        org.h2.jdbcx.JdbcDataSource store = new org.h2.jdbcx.JdbcDataSource();
        store.setURL("jdbc:h2:file:" + tmp.resolve("audit"));
        store.setUser("sa");
        AuditLog.on(store, Clock.systemUTC()).append(AuditLogIT.entry("shop", "Deployment", "api", EventType.DETECTED));
        int newer = AuditLog.SCHEMA_VERSION + 1;
        try (Connection db = store.getConnection()) {
            db.createStatement().execute("ALTER TABLE audit_event ADD COLUMN from_a_newer_build VARCHAR(64)");
            db.createStatement().execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", "
                    + "\"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (1000, '" + newer + "', "
                    + "'a newer build', 'SQL', 'V" + newer + "__a_newer_build.sql', 0, 'sa', 1, TRUE)");
        }
        assertThat(AuditLog.atSchemaVersion(store)).as("not this build's schema: Flyway is asked").isFalse();

        // when: this (older) build opens it
        AuditLog older = AuditLog.on(store, Clock.systemUTC());

        // then: Flyway leaves the newer migration alone (its default ignoreMigrationPatterns "*:future"), and this build
        // appends and verifies as before
        older.append(AuditLogIT.entry("shop", "Deployment", "api", EventType.CORRECTED));
        assertThat(older.verify().ok()).isTrue();
        assertThat(older.verify().rows()).isEqualTo(2);
        try (Connection db = store.getConnection(); var rows = db.createStatement().executeQuery(
                "SELECT MAX(CAST(\"version\" AS INT)) FROM \"flyway_schema_history\"")) {
            rows.next();
            assertThat(rows.getInt(1)).as("the schema stays the newer build's").isEqualTo(newer);
        }
    }
}
