package com.helpdesk.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.helpdesk.service.ApiException;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base for the API servlets: dispatches every method (including PATCH) to {@link #route},
 * reads JSON bodies and renders results and {@link ApiException}s as JSON.
 */
public abstract class JsonServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(JsonServlet.class.getName());
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** A routed result: status plus body (null for an empty body). */
    protected record Result(int status, Object body) {
        static Result ok(Object body) {
            return new Result(200, body);
        }

        static Result created(Object body) {
            return new Result(201, body);
        }

        static Result noContent() {
            return new Result(204, null);
        }
    }

    /** Handles one request; path segments are those after the servlet's mapping. */
    protected abstract Result route(String method, String[] segments, HttpServletRequest request) throws IOException;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Result result;
        try {
            result = route(request.getMethod(), segments(request), request);
        } catch (ApiException e) {
            result = new Result(e.status(), Map.of("error", e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "unhandled error on " + request.getMethod() + " " + request.getRequestURI(), e);
            result = new Result(500, Map.of("error", "internal server error"));
        }
        response.setStatus(result.status());
        if (result.body() != null) {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            MAPPER.writeValue(response.getOutputStream(), result.body());
        }
    }

    /** The request body as a JSON tree; 400 when it is empty or not JSON. */
    protected static JsonNode readJson(HttpServletRequest request) throws IOException {
        try {
            JsonNode node = MAPPER.readTree(request.getInputStream());
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** Parses a numeric id path segment; anything else cannot name a resource, so 404. */
    protected static long parseId(String raw, String what) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw ApiException.notFound(what + " " + raw + " not found");
    }

    protected static ApiException methodNotAllowed() {
        return new ApiException(405, "method not allowed");
    }

    private static String[] segments(HttpServletRequest request) {
        String info = request.getPathInfo();
        if (info == null || info.equals("/")) {
            return new String[0];
        }
        return java.util.Arrays.stream(info.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
