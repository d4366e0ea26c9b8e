package com.helpdesk.service;

import com.helpdesk.db.CommentDao;
import com.helpdesk.db.Database;
import com.helpdesk.db.TicketDao;
import com.helpdesk.model.Comment;
import com.helpdesk.model.Status;
import com.helpdesk.model.Ticket;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The ticket lifecycle (status transitions) and the conversation on a ticket (comments). */
public final class WorkflowService {
    static final int MAX_RESOLUTION = 500;
    static final int MAX_AUTHOR = 100;
    static final int MAX_COMMENT = 5000;

    /** Which statuses each status may move to. CLOSED is final. */
    private static final Map<Status, Set<Status>> ALLOWED = new EnumMap<>(Status.class);

    static {
        ALLOWED.put(Status.OPEN, EnumSet.of(Status.IN_PROGRESS, Status.CLOSED));
        ALLOWED.put(Status.IN_PROGRESS, EnumSet.of(Status.OPEN, Status.RESOLVED));
        ALLOWED.put(Status.RESOLVED, EnumSet.of(Status.IN_PROGRESS, Status.CLOSED));
        ALLOWED.put(Status.CLOSED, EnumSet.noneOf(Status.class));
    }

    private final Database db;
    private final TicketDao tickets;
    private final CommentDao comments;
    private final Clock clock;

    public WorkflowService(Database db, TicketDao tickets, CommentDao comments, Clock clock) {
        this.db = db;
        this.tickets = tickets;
        this.comments = comments;
        this.clock = clock;
    }

    /** POST /tickets/{id}/transitions: moves the ticket to body.to. */
    public Ticket transition(long id, Input in) {
        String now = clock.now();
        return db.inTransaction(c -> {
            Ticket ticket = tickets.find(c, id).orElseThrow(() -> TicketService.notFound(id));
            String rawTo = in.requiredText("to", 32);
            Status to = Status.fromWire(rawTo);
            if (to == null) {
                throw ApiException.badRequest("to must be one of open, in_progress, resolved, closed");
            }
            Status from = ticket.status();
            if (!ALLOWED.get(from).contains(to)) {
                throw ApiException.conflict("cannot move a ticket from " + from.wireName() + " to " + to.wireName());
            }
            String resolution;
            switch (to) {
                case IN_PROGRESS -> {
                    if (ticket.assignee() == null) {
                        throw ApiException.conflict("assign the ticket before starting work on it");
                    }
                    resolution = null;
                }
                case RESOLVED -> resolution = in.requiredText("resolution", MAX_RESOLUTION);
                case CLOSED -> resolution = from == Status.OPEN
                        ? in.requiredText("resolution", MAX_RESOLUTION)
                        : ticket.resolution();
                default -> resolution = null;
            }
            tickets.updateStatus(c, id, to, resolution, now);
            return tickets.find(c, id).orElseThrow();
        });
    }

    /** POST /tickets/{id}/comments */
    public Comment addComment(long id, Input in) {
        String now = clock.now();
        return db.inTransaction(c -> {
            Ticket ticket = tickets.find(c, id).orElseThrow(() -> TicketService.notFound(id));
            String author = in.requiredText("author", MAX_AUTHOR);
            String body = in.requiredText("body", MAX_COMMENT);
            boolean internal = in.optionalBoolean("internal", false);
            if (ticket.status() == Status.CLOSED) {
                throw ApiException.conflict("ticket " + id + " is closed");
            }
            return comments.insert(c, id, author, body, internal, now);
        });
    }

    /** GET /tickets/{id}/comments */
    public List<Comment> listComments(long id, boolean includeInternal) {
        return db.run(c -> {
            if (tickets.find(c, id).isEmpty()) {
                throw TicketService.notFound(id);
            }
            return comments.listByTicket(c, id, includeInternal);
        });
    }
}
