package com.helpdesk.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One SQLite connection shared by the DAOs. SQLite serialises writers anyway, so access is
 * serialised here with the connection's monitor; {@link #inTransaction} groups statements.
 */
public final class Database implements AutoCloseable {

    /** Work done with the connection; may throw SQLException. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Connection connection;

    public Database(String path) throws SQLException {
        this.connection = DriverManager.getConnection("jdbc:sqlite:" + path);
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA foreign_keys = ON");
            st.execute("PRAGMA journal_mode = WAL");
        }
        migrate();
    }

    private void migrate() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS tickets (
                        id          INTEGER PRIMARY KEY AUTOINCREMENT,
                        title       TEXT NOT NULL,
                        description TEXT NOT NULL DEFAULT '',
                        priority    TEXT NOT NULL,
                        status      TEXT NOT NULL,
                        reporter    TEXT NOT NULL,
                        assignee    TEXT,
                        resolution  TEXT,
                        created_at  TEXT NOT NULL,
                        updated_at  TEXT NOT NULL
                    )""");
            st.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS comments (
                        id         INTEGER PRIMARY KEY AUTOINCREMENT,
                        ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
                        author     TEXT NOT NULL,
                        body       TEXT NOT NULL,
                        internal   INTEGER NOT NULL DEFAULT 0,
                        created_at TEXT NOT NULL
                    )""");
            st.executeUpdate("CREATE INDEX IF NOT EXISTS comments_by_ticket ON comments(ticket_id, id)");
        }
    }

    public <T> T run(Work<T> work) {
        synchronized (connection) {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw new IllegalStateException("database error: " + e.getMessage(), e);
            }
        }
    }

    /** Runs the work in one transaction; any exception rolls it back and is rethrown. */
    public <T> T inTransaction(Work<T> work) {
        synchronized (connection) {
            try {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("database error: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
