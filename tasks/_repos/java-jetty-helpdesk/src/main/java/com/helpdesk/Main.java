package com.helpdesk;

import com.helpdesk.db.CommentDao;
import com.helpdesk.db.Database;
import com.helpdesk.db.TicketDao;
import com.helpdesk.service.Clock;
import com.helpdesk.service.TicketService;
import com.helpdesk.service.WorkflowService;
import com.helpdesk.web.StatsServlet;
import com.helpdesk.web.TicketServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

import java.util.Map;

/** Starts the helpdesk API on an embedded Jetty server. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String host = env.getOrDefault("HOST", "0.0.0.0");
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        String dbPath = env.getOrDefault("HELPDESK_DB", "helpdesk.db");

        Database db = new Database(dbPath);
        TicketDao ticketDao = new TicketDao();
        CommentDao commentDao = new CommentDao();
        Clock clock = Clock.system();
        TicketService tickets = new TicketService(db, ticketDao, clock);
        WorkflowService workflow = new WorkflowService(db, ticketDao, commentDao, clock);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        ServletHolder ticketServlet = new ServletHolder(new TicketServlet(tickets, workflow));
        context.addServlet(ticketServlet, "/tickets");
        context.addServlet(ticketServlet, "/tickets/*");
        context.addServlet(new ServletHolder(new StatsServlet(tickets, false)), "/stats");
        context.addServlet(new ServletHolder(new StatsServlet(tickets, true)), "/health");

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        System.out.println("helpdesk listening on " + host + ":" + port + " (database " + dbPath + ")");
        server.join();
        db.close();
    }
}
