package com.meetups.service;

import com.meetups.repository.EventRepository;
import com.meetups.repository.RegistrationRepository;
import com.meetups.web.EventRequest;

import java.util.List;

/** Scheduling events: create, list, show, reschedule/resize and delete. */
public class EventService {
    static final int MAX_NAME = 120;
    static final int MAX_VENUE = 120;
    static final int MAX_CAPACITY = 10_000;

    private final EventRepository events;
    private final RegistrationRepository registrations;
    private final RegistrationService registrationService;
    private final BookingLock lock;

    public EventService(EventRepository events, RegistrationRepository registrations,
                        RegistrationService registrationService, BookingLock lock) {
        this.events = events;
        this.registrations = registrations;
        this.registrationService = registrationService;
        this.lock = lock;
    }

    public EventView create(EventRequest request) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** Events sorted by start time then id, optionally only at one venue and/or from a date on. */
    public List<EventView> list(String venue, String from) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    public EventView get(long id) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** Replaces all fields. Capacity may not drop below the confirmed seats; extra seats go to the waitlist. */
    public EventView update(long id, EventRequest request) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** Deletes an event nobody is confirmed for, together with its waitlisted/cancelled registrations. */
    public void delete(long id) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    static ApiException notFound(long id) {
        return ApiException.notFound("event " + id + " not found");
    }
}
