package com.helpdesk.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Ticket priorities, lowest first. */
public enum Priority {
    LOW, NORMAL, HIGH, URGENT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name ("high"); null when unknown. */
    public static Priority fromWire(String value) {
        for (Priority priority : values()) {
            if (priority.wireName().equals(value)) {
                return priority;
            }
        }
        return null;
    }
}
