package com.helpdesk.web;

import com.helpdesk.model.Comment;
import com.helpdesk.service.ApiException;
import com.helpdesk.service.Input;
import com.helpdesk.service.TicketService;
import com.helpdesk.service.WorkflowService;
import com.helpdesk.model.Ticket;

import javax.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /tickets, /tickets/{id}, /tickets/{id}/transitions and /tickets/{id}/comments.
 */
public final class TicketServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    private final transient TicketService tickets;
    private final transient WorkflowService workflow;

    public TicketServlet(TicketService tickets, WorkflowService workflow) {
        this.tickets = tickets;
        this.workflow = workflow;
    }

    @Override
    protected Result route(String method, String[] path, HttpServletRequest request) throws IOException {
        if (path.length == 0) {
            return switch (method) {
                case "GET" -> listTickets(request);
                case "POST" -> Result.created(tickets.create(Input.of(readJson(request))));
                default -> throw methodNotAllowed();
            };
        }
        long id = parseId(path[0], "ticket");
        if (path.length == 1) {
            return switch (method) {
                case "GET" -> Result.ok(tickets.get(id));
                case "PATCH" -> Result.ok(tickets.update(id, Input.of(readJson(request))));
                case "DELETE" -> {
                    tickets.delete(id);
                    yield Result.noContent();
                }
                default -> throw methodNotAllowed();
            };
        }
        if (path.length == 2 && path[1].equals("transitions")) {
            if (!method.equals("POST")) {
                throw methodNotAllowed();
            }
            return Result.ok(workflow.transition(id, Input.of(readJson(request))));
        }
        if (path.length == 2 && path[1].equals("comments")) {
            return switch (method) {
                case "GET" -> listComments(id, request);
                case "POST" -> Result.created(workflow.addComment(id, Input.of(readJson(request))));
                default -> throw methodNotAllowed();
            };
        }
        throw ApiException.notFound("no route for " + request.getRequestURI());
    }

    private Result listTickets(HttpServletRequest request) {
        List<Ticket> found = tickets.list(
                request.getParameter("status"), request.getParameter("priority"), request.getParameter("assignee"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tickets", found);
        body.put("count", found.size());
        return Result.ok(body);
    }

    private Result listComments(long id, HttpServletRequest request) {
        String raw = request.getParameter("include_internal");
        boolean includeInternal;
        if (raw == null || raw.isEmpty() || raw.equals("false")) {
            includeInternal = false;
        } else if (raw.equals("true")) {
            includeInternal = true;
        } else {
            throw ApiException.badRequest("include_internal must be true or false");
        }
        List<Comment> found = workflow.listComments(id, includeInternal);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ticket_id", id);
        body.put("comments", found);
        return Result.ok(body);
    }
}
