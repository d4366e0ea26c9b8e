package com.meetups.service;

import com.meetups.model.Event;
import com.meetups.model.Registration;
import com.meetups.repository.EventRepository;
import com.meetups.repository.RegistrationRepository;
import com.meetups.web.RegistrationRequest;

import java.util.List;
import java.util.Map;

/** Signing up for events: confirmed seats first, then a first-come waitlist. */
public class RegistrationService {
    static final int MAX_NAME = 100;

    private final EventRepository events;
    private final RegistrationRepository registrations;
    private final BookingLock lock;

    public RegistrationService(EventRepository events, RegistrationRepository registrations, BookingLock lock) {
        this.events = events;
        this.registrations = registrations;
        this.lock = lock;
    }

    /** POST /events/{eventId}/registrations */
    public RegistrationView register(long eventId, RegistrationRequest request) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** GET /events/{eventId}/registrations?status= */
    public List<RegistrationView> list(long eventId, String status) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /**
     * DELETE /events/{eventId}/registrations/{registrationId}: cancels the registration; a freed
     * seat goes to the first person on the waitlist. Returns {"cancelled": ..., "promoted": ...|null}.
     */
    public Map<String, RegistrationView> cancel(long eventId, long registrationId) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /**
     * Moves waitlisted registrations (earliest first) to confirmed while the event has free seats.
     * Called with the booking lock held; returns the promoted registrations.
     */
    public List<Registration> promoteWaitlisted(Event event) {
        // TODO: implement
        throw ApiException.notImplemented();
    }
}
