package com.helpdesk.web;

import com.helpdesk.service.TicketService;

import javax.servlet.http.HttpServletRequest;
import java.util.Map;

/** GET /health and GET /stats. */
public final class StatsServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    private final transient TicketService tickets;
    private final boolean healthOnly;

    public StatsServlet(TicketService tickets, boolean healthOnly) {
        this.tickets = tickets;
        this.healthOnly = healthOnly;
    }

    @Override
    protected Result route(String method, String[] segments, HttpServletRequest request) {
        if (!method.equals("GET")) {
            throw methodNotAllowed();
        }
        return Result.ok(healthOnly ? Map.of("status", "ok") : tickets.stats());
    }
}
