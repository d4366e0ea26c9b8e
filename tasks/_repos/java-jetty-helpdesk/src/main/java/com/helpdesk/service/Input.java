package com.helpdesk.service;

import com.fasterxml.jackson.databind.JsonNode;

/** Validated access to fields of a JSON request body; every violation is a 400. */
public final class Input {
    private final JsonNode body;

    private Input(JsonNode body) {
        this.body = body;
    }

    public static Input of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        return new Input(body);
    }

    /** True when the key is present, even with a null value. */
    public boolean has(String key) {
        return body.has(key);
    }

    public boolean isNull(String key) {
        return body.has(key) && body.get(key).isNull();
    }

    public String requiredText(String key, int maxLength) {
        if (!body.has(key) || body.get(key).isNull()) {
            throw ApiException.badRequest(key + " is required");
        }
        return text(key, maxLength);
    }

    /** The trimmed string, or null when the key is absent or null. */
    public String optionalText(String key, int maxLength) {
        if (!body.has(key) || body.get(key).isNull()) {
            return null;
        }
        return text(key, maxLength);
    }

    private String text(String key, int maxLength) {
        JsonNode node = body.get(key);
        if (!node.isTextual()) {
            throw ApiException.badRequest(key + " must be a string");
        }
        String value = node.textValue().trim();
        if (value.isEmpty()) {
            throw ApiException.badRequest(key + " must not be blank");
        }
        if (value.length() > maxLength) {
            throw ApiException.badRequest(key + " must be at most " + maxLength + " characters");
        }
        return value;
    }

    /** A string that may be empty (e.g. a description), trimmed; null when absent. */
    public String optionalTextAllowEmpty(String key, int maxLength) {
        if (!body.has(key) || body.get(key).isNull()) {
            return null;
        }
        JsonNode node = body.get(key);
        if (!node.isTextual()) {
            throw ApiException.badRequest(key + " must be a string");
        }
        String value = node.textValue().trim();
        if (value.length() > maxLength) {
            throw ApiException.badRequest(key + " must be at most " + maxLength + " characters");
        }
        return value;
    }

    public boolean optionalBoolean(String key, boolean defaultValue) {
        if (!body.has(key) || body.get(key).isNull()) {
            return defaultValue;
        }
        JsonNode node = body.get(key);
        if (!node.isBoolean()) {
            throw ApiException.badRequest(key + " must be a boolean");
        }
        return node.booleanValue();
    }
}
