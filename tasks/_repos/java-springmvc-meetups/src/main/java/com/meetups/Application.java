package com.meetups;

import com.meetups.config.AppConfig;
import com.meetups.web.ApiExceptionHandler;
import com.meetups.web.EventController;
import com.meetups.web.HealthController;
import com.meetups.web.RegistrationController;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;

import java.util.Map;

/**
 * Boots Spring MVC 4.3 on an embedded Jetty 9.4 without Spring Boot: a DispatcherServlet over an
 * annotation-driven web application context whose classes are registered explicitly (no
 * classpath scanning).
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String host = env.getOrDefault("HOST", "0.0.0.0");
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));

        AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
        spring.register(AppConfig.class, HealthController.class, EventController.class,
                RegistrationController.class, ApiExceptionHandler.class);

        DispatcherServlet dispatcher = new DispatcherServlet(spring);
        dispatcher.setThrowExceptionIfNoHandlerFound(true);
        dispatcher.setDetectAllHandlerExceptionResolvers(false);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder("dispatcher", dispatcher);
        holder.setInitOrder(1);
        context.addServlet(holder, "/");

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        System.out.println("meetups listening on " + host + ":" + port);
        server.join();
    }
}
