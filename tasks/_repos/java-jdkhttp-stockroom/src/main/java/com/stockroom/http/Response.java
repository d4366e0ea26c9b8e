package com.stockroom.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler returns: a status and an optional JSON-serialisable body. */
public record Response(int status, Object body) {

    public static Response ok(Object body) {
        return new Response(200, body);
    }

    public static Response created(Object body) {
        return new Response(201, body);
    }

    public static Response noContent() {
        return new Response(204, null);
    }

    public static Response error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return new Response(status, body);
    }
}
