package com.helpdesk.db;

import com.helpdesk.model.Priority;
import com.helpdesk.model.Status;
import com.helpdesk.model.Ticket;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the tickets table. Methods take the connection so callers can group them in a transaction. */
public final class TicketDao {
    private static final String SELECT = """
            SELECT t.*, (SELECT COUNT(*) FROM comments c WHERE c.ticket_id = t.id) AS comment_count
            FROM tickets t""";

    /** Filters for {@link #list}; null fields do not filter. */
    public record Filter(Status status, Priority priority, String assignee) {
    }

    public long insert(Connection c, String title, String description, Priority priority,
                       String reporter, String assignee, String now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tickets (title, description, priority, status, reporter, assignee, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, title);
            ps.setString(2, description);
            ps.setString(3, priority.wireName());
            ps.setString(4, Status.OPEN.wireName());
            ps.setString(5, reporter);
            ps.setString(6, assignee);
            ps.setString(7, now);
            ps.setString(8, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public Optional<Ticket> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE t.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public List<Ticket> list(Connection c, Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (filter.status() != null) {
            sql.append(" AND t.status = ?");
            args.add(filter.status().wireName());
        }
        if (filter.priority() != null) {
            sql.append(" AND t.priority = ?");
            args.add(filter.priority().wireName());
        }
        if (filter.assignee() != null) {
            sql.append(" AND t.assignee = ?");
            args.add(filter.assignee());
        }
        sql.append(" ORDER BY t.id");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            List<Ticket> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(map(rs));
                }
            }
            return result;
        }
    }

    /** Writes the editable fields (title, description, priority, assignee). */
    public void updateDetails(Connection c, Ticket t, String now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE tickets SET title = ?, description = ?, priority = ?, assignee = ?, updated_at = ?
                WHERE id = ?""")) {
            ps.setString(1, t.title());
            ps.setString(2, t.description());
            ps.setString(3, t.priority().wireName());
            ps.setString(4, t.assignee());
            ps.setString(5, now);
            ps.setLong(6, t.id());
            ps.executeUpdate();
        }
    }

    /** Writes a new status and resolution (null clears it). */
    public void updateStatus(Connection c, long id, Status status, String resolution, String now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE tickets SET status = ?, resolution = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, status.wireName());
            ps.setString(2, resolution);
            ps.setString(3, now);
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    public boolean delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM tickets WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() > 0;
        }
    }

    /** Number of tickets per status, for the stats endpoint. */
    public List<Object[]> countByStatusAndPriority(Connection c) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, priority, COUNT(*) FROM tickets GROUP BY status, priority")) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)});
            }
        }
        return rows;
    }

    private static Ticket map(ResultSet rs) throws SQLException {
        return new Ticket(
                rs.getLong("id"),
                rs.getString("title"),
                rs.getString("description"),
                Priority.fromWire(rs.getString("priority")),
                Status.fromWire(rs.getString("status")),
                rs.getString("reporter"),
                rs.getString("assignee"),
                rs.getString("resolution"),
                rs.getString("created_at"),
                rs.getString("updated_at"),
                rs.getInt("comment_count"));
    }
}
