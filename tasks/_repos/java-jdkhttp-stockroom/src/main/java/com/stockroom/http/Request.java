package com.stockroom.http;

import com.stockroom.json.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An incoming request after routing: method, path parameters, query parameters and raw body. */
public final class Request {
    private final String method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, String> query;
    private final String body;

    public Request(String method, String path, Map<String, String> pathParams, String rawQuery, String body) {
        this.method = method;
        this.path = path;
        this.pathParams = pathParams;
        this.query = parseQuery(rawQuery);
        this.body = body == null ? "" : body;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    public String queryParam(String name) {
        return query.get(name);
    }

    public Map<String, String> queryParams() {
        return Collections.unmodifiableMap(query);
    }

    /** Reads an optional non-negative integer query parameter, failing with 400 when malformed. */
    public int intQueryParam(String name, int defaultValue, int min, int max) {
        String raw = query.get(name);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw ApiException.badRequest(name + " must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer");
        }
    }

    /** The body parsed as a JSON object; 400 when it is missing, malformed or not an object. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> jsonObject() {
        if (body.isBlank()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (Json.ParseException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        return (Map<String, Object>) parsed;
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> result = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            result.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return result;
    }
}
