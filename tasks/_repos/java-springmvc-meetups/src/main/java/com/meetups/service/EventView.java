package com.meetups.service;

/** An event as the API shows it, with live seat counts. starts_at is "YYYY-MM-DDTHH:MM". */
public record EventView(
        long id,
        String name,
        String venue,
        String startsAt,
        int capacity,
        int registeredCount,
        int waitlistCount,
        int seatsLeft) {
}
