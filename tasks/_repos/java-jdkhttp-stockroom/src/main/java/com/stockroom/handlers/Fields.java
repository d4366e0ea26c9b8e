package com.stockroom.handlers;

import com.stockroom.http.ApiException;

import java.util.Map;

/** Typed access to fields of a parsed JSON body; every violation is a 400. */
final class Fields {

    private Fields() {
    }

    static boolean has(Map<String, Object> body, String key) {
        return body.containsKey(key) && body.get(key) != null;
    }

    static String requiredString(Map<String, Object> body, String key, int maxLength) {
        if (!has(body, key)) {
            throw ApiException.badRequest(key + " is required");
        }
        return string(body, key, maxLength);
    }

    static String optionalString(Map<String, Object> body, String key, int maxLength) {
        return has(body, key) ? string(body, key, maxLength) : null;
    }

    private static String string(Map<String, Object> body, String key, int maxLength) {
        if (!(body.get(key) instanceof String raw)) {
            throw ApiException.badRequest(key + " must be a string");
        }
        String value = raw.trim();
        if (value.isEmpty()) {
            throw ApiException.badRequest(key + " must not be blank");
        }
        if (value.length() > maxLength) {
            throw ApiException.badRequest(key + " must be at most " + maxLength + " characters");
        }
        return value;
    }

    static long requiredLong(Map<String, Object> body, String key, long min, long max) {
        if (!has(body, key)) {
            throw ApiException.badRequest(key + " is required");
        }
        return integer(body, key, min, max);
    }

    static long optionalLong(Map<String, Object> body, String key, long min, long max, long defaultValue) {
        return has(body, key) ? integer(body, key, min, max) : defaultValue;
    }

    private static long integer(Map<String, Object> body, String key, long min, long max) {
        if (!(body.get(key) instanceof Long value)) {
            throw ApiException.badRequest(key + " must be an integer");
        }
        if (value < min || value > max) {
            throw ApiException.badRequest(key + " must be between " + min + " and " + max);
        }
        return value;
    }
}
