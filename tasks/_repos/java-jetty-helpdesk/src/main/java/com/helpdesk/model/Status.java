package com.helpdesk.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Ticket lifecycle states. */
public enum Status {
    OPEN, IN_PROGRESS, RESOLVED, CLOSED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name ("in_progress"); null when unknown. */
    public static Status fromWire(String value) {
        for (Status status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        return null;
    }
}
