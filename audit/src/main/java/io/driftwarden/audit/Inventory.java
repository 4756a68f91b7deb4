package io.driftwarden.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Per binding, the objects driftwarden applied and still holds itself responsible for ({@code namespace} is empty for
 * cluster-scoped kinds). Read before a run to find what left Git; replaced, in one transaction, after an enforcing run.
 */
public final class Inventory {

    /** One object of a binding's inventory. */
    public record Entry(String apiVersion, String kind, String namespace, String name) {
    }

    private final DataSource dataSource;

    Inventory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The binding's inventory, sorted. */
    public List<Entry> of(String binding) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection, binding);
        } catch (SQLException e) {
            throw new AuditException("cannot read the inventory of binding " + binding + ": " + e.getMessage(), e);
        }
    }

    private static List<Entry> of(Connection connection, String binding) throws SQLException {
        String sql = "SELECT api_version, kind, namespace, name FROM inventory WHERE binding_name = ?"
                + " ORDER BY api_version, kind, namespace, name";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, binding);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Entry(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)));
                }
            }
            return entries;
        }
    }

    /** How many objects each binding's inventory holds. */
    public java.util.Map<String, Integer> sizes() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT binding_name, COUNT(*) FROM inventory GROUP BY binding_name");
             ResultSet rows = query.executeQuery()) {
            java.util.Map<String, Integer> sizes = new java.util.TreeMap<>();
            while (rows.next()) {
                sizes.put(rows.getString(1), rows.getInt(2));
            }
            return sizes;
        } catch (SQLException e) {
            throw new AuditException("cannot read the inventory: " + e.getMessage(), e);
        }
    }

    /** The commit a binding last enforced, and the repository it came from. */
    public record Commit(String sourceUrl, String sha) {
    }

    /** The commit the binding last enforced; null before its first enforcing run. */
    public Commit lastCommit(String binding) {
        try (Connection connection = dataSource.getConnection()) {
            return lastCommit(connection, binding);
        } catch (SQLException e) {
            throw new AuditException("cannot read the last commit of binding " + binding + ": " + e.getMessage(), e);
        }
    }

    private static Commit lastCommit(Connection connection, String binding) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT source_url, commit_sha FROM enforced_commit WHERE binding_name = ?")) {
            query.setString(1, binding);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? new Commit(rows.getString(1), rows.getString(2)) : null;
            }
        }
    }

    /**
     * Replaces the binding's inventory with {@code entries}, and its last enforced commit, atomically. Only the
     * difference is written: a steady run, whose objects and commit did not change, writes nothing.
     */
    public void replace(String binding, Collection<Entry> entries, Commit commit) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement delete = connection.prepareStatement(
                         "DELETE FROM inventory WHERE binding_name = ? AND api_version = ? AND kind = ? AND namespace = ? AND name = ?");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO inventory (binding_name, api_version, kind, namespace, name) VALUES (?, ?, ?, ?, ?)")) {
                Set<Entry> before = new HashSet<>(of(connection, binding));
                Set<Entry> after = new HashSet<>(entries);
                for (Entry gone : before) {
                    if (!after.contains(gone)) {
                        bind(delete, binding, gone).addBatch();
                    }
                }
                for (Entry added : after) {
                    if (!before.contains(added)) {
                        bind(insert, binding, added).addBatch();
                    }
                }
                delete.executeBatch();
                insert.executeBatch();
                if (!commit.equals(lastCommit(connection, binding))) {
                    remember(connection, binding, commit);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new AuditException("cannot save the inventory of binding " + binding + ": " + e.getMessage(), e);
        }
    }

    private static PreparedStatement bind(PreparedStatement statement, String binding, Entry entry) throws SQLException {
        statement.setString(1, binding);
        statement.setString(2, entry.apiVersion());
        statement.setString(3, entry.kind());
        statement.setString(4, entry.namespace());
        statement.setString(5, entry.name());
        return statement;
    }

    private static void remember(Connection connection, String binding, Commit commit) throws SQLException {
        try (PreparedStatement forget = connection.prepareStatement("DELETE FROM enforced_commit WHERE binding_name = ?");
             PreparedStatement remember = connection.prepareStatement(
                     "INSERT INTO enforced_commit (binding_name, source_url, commit_sha) VALUES (?, ?, ?)")) {
            forget.setString(1, binding);
            forget.executeUpdate();
            remember.setString(1, binding);
            remember.setString(2, commit.sourceUrl());
            remember.setString(3, commit.sha());
            remember.executeUpdate();
        }
    }
}
