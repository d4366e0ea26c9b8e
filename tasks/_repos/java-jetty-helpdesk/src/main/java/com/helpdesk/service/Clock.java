package com.helpdesk.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Source of timestamps (UTC, ISO-8601, second precision). */
public interface Clock {
    String now();

    static Clock system() {
        return () -> Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
