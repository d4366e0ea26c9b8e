package com.helpdesk.service;

import com.helpdesk.db.Database;
import com.helpdesk.db.TicketDao;
import com.helpdesk.model.Priority;
import com.helpdesk.model.Status;
import com.helpdesk.model.Ticket;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Creating, reading, editing and deleting tickets. */
public final class TicketService {
    static final int MAX_TITLE = 200;
    static final int MAX_DESCRIPTION = 5000;
    static final int MAX_PERSON = 100;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    private final Database db;
    private final TicketDao tickets;
    private final Clock clock;

    public TicketService(Database db, TicketDao tickets, Clock clock) {
        this.db = db;
        this.tickets = tickets;
        this.clock = clock;
    }

    public Ticket create(Input in) {
        String title = in.requiredText("title", MAX_TITLE);
        String description = in.optionalTextAllowEmpty("description", MAX_DESCRIPTION);
        Priority priority = parsePriority(in.optionalText("priority", 16), Priority.NORMAL);
        String reporter = in.requiredText("reporter", 254);
        if (!EMAIL.matcher(reporter).matches()) {
            throw ApiException.badRequest("reporter must be an email address");
        }
        String assignee = in.optionalText("assignee", MAX_PERSON);
        String now = clock.now();
        return db.inTransaction(c -> {
            long id = tickets.insert(c, title, description == null ? "" : description, priority, reporter, assignee, now);
            return tickets.find(c, id).orElseThrow();
        });
    }

    public Ticket get(long id) {
        return db.run(c -> tickets.find(c, id)).orElseThrow(() -> notFound(id));
    }

    public List<Ticket> list(String status, String priority, String assignee) {
        Status s = null;
        if (status != null && !status.isEmpty()) {
            s = Status.fromWire(status);
            if (s == null) {
                throw ApiException.badRequest("unknown status '" + status + "'");
            }
        }
        Priority p = priority == null || priority.isEmpty() ? null : parsePriority(priority, null);
        String a = assignee == null || assignee.isEmpty() ? null : assignee;
        TicketDao.Filter filter = new TicketDao.Filter(s, p, a);
        return db.run(c -> tickets.list(c, filter));
    }

    public Ticket update(long id, Input in) {
        Ticket current = get(id);
        if (current.status() == Status.CLOSED) {
            throw ApiException.conflict("ticket " + id + " is closed");
        }
        if (!in.has("title") && !in.has("description") && !in.has("priority") && !in.has("assignee")) {
            throw ApiException.badRequest("nothing to update: give title, description, priority or assignee");
        }
        String title = in.has("title") ? in.requiredText("title", MAX_TITLE) : current.title();
        String description = in.has("description")
                ? nullToEmpty(in.optionalTextAllowEmpty("description", MAX_DESCRIPTION)) : current.description();
        Priority priority = in.has("priority")
                ? parsePriority(in.requiredText("priority", 16), null) : current.priority();
        String assignee = in.has("assignee") ? in.optionalText("assignee", MAX_PERSON) : current.assignee();

        Ticket changed = new Ticket(id, title, description, priority, current.status(), current.reporter(),
                assignee, current.resolution(), current.createdAt(), current.updatedAt(), current.commentCount());
        String now = clock.now();
        return db.inTransaction(c -> {
            tickets.updateDetails(c, changed, now);
            return tickets.find(c, id).orElseThrow();
        });
    }

    public void delete(long id) {
        if (!db.run(c -> tickets.delete(c, id))) {
            throw notFound(id);
        }
    }

    public Map<String, Object> stats() {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            byStatus.put(s.wireName(), 0L);
        }
        Map<String, Long> byPriority = new LinkedHashMap<>();
        for (Priority p : Priority.values()) {
            byPriority.put(p.wireName(), 0L);
        }
        long total = 0;
        for (Object[] row : db.run(tickets::countByStatusAndPriority)) {
            long n = (Long) row[2];
            byStatus.merge((String) row[0], n, Long::sum);
            byPriority.merge((String) row[1], n, Long::sum);
            total += n;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("total", total);
        result.put("by_status", byStatus);
        result.put("by_priority", byPriority);
        return result;
    }

    static Priority parsePriority(String raw, Priority defaultValue) {
        if (raw == null) {
            return defaultValue;
        }
        Priority p = Priority.fromWire(raw);
        if (p == null) {
            throw ApiException.badRequest("priority must be one of low, normal, high, urgent");
        }
        return p;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static ApiException notFound(long id) {
        return ApiException.notFound("ticket " + id + " not found");
    }
}
