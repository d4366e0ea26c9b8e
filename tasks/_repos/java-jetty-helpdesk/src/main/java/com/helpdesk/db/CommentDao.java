package com.helpdesk.db;

import com.helpdesk.model.Comment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** SQL for the comments table. */
public final class CommentDao {

    public Comment insert(Connection c, long ticketId, String author, String body, boolean internal, String now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO comments (ticket_id, author, body, internal, created_at) VALUES (?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, ticketId);
            ps.setString(2, author);
            ps.setString(3, body);
            ps.setInt(4, internal ? 1 : 0);
            ps.setString(5, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new Comment(keys.getLong(1), ticketId, author, body, internal, now);
            }
        }
    }

    /** Comments of a ticket, oldest first; internal ones only when asked for. */
    public List<Comment> listByTicket(Connection c, long ticketId, boolean includeInternal) throws SQLException {
        String sql = "SELECT * FROM comments WHERE ticket_id = ?"
                + (includeInternal ? "" : " AND internal = 0") + " ORDER BY id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, ticketId);
            List<Comment> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new Comment(
                            rs.getLong("id"),
                            rs.getLong("ticket_id"),
                            rs.getString("author"),
                            rs.getString("body"),
                            rs.getInt("internal") != 0,
                            rs.getString("created_at")));
                }
            }
            return result;
        }
    }
}
