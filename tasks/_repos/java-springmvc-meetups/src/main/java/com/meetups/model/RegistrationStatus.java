package com.meetups.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a registration stands. */
public enum RegistrationStatus {
    CONFIRMED, WAITLISTED, CANCELLED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RegistrationStatus fromWire(String value) {
        for (RegistrationStatus s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        return null;
    }
}
