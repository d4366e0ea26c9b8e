package com.helpdesk.service;

import com.helpdesk.db.CommentDao;
import com.helpdesk.db.Database;
import com.helpdesk.db.TicketDao;
import com.helpdesk.model.Comment;
import com.helpdesk.model.Ticket;

import java.util.List;

/** The ticket lifecycle (status transitions) and the conversation on a ticket (comments). */
public final class WorkflowService {
    static final int MAX_RESOLUTION = 500;
    static final int MAX_AUTHOR = 100;
    static final int MAX_COMMENT = 5000;

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
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** POST /tickets/{id}/comments */
    public Comment addComment(long id, Input in) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** GET /tickets/{id}/comments */
    public List<Comment> listComments(long id, boolean includeInternal) {
        // TODO: implement
        throw ApiException.notImplemented();
    }
}
