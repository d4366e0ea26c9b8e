package com.meetups.service;

import com.meetups.model.Event;
import com.meetups.model.Registration;
import com.meetups.model.RegistrationStatus;
import com.meetups.repository.EventRepository;
import com.meetups.repository.RegistrationRepository;
import com.meetups.web.RegistrationRequest;

import java.util.LinkedHashMap;
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
        return lock.call(() -> {
            Event event = findEvent(eventId);
            String name = Validation.text(request.getName(), "name", MAX_NAME);
            String email = Validation.email(request.getEmail());
            boolean duplicate = registrations.findByEvent(eventId).stream()
                    .anyMatch(r -> r.getStatus() != RegistrationStatus.CANCELLED && r.getEmail().equals(email));
            if (duplicate) {
                throw ApiException.conflict(email + " is already registered for event " + eventId);
            }
            int confirmed = registrations.countByEventAndStatus(eventId, RegistrationStatus.CONFIRMED);
            RegistrationStatus status = confirmed < event.getCapacity()
                    ? RegistrationStatus.CONFIRMED : RegistrationStatus.WAITLISTED;
            return view(registrations.create(eventId, name, email, status));
        });
    }

    /** GET /events/{eventId}/registrations?status= */
    public List<RegistrationView> list(long eventId, String status) {
        RegistrationStatus filter = null;
        if (status != null && !status.isEmpty()) {
            filter = RegistrationStatus.fromWire(status);
            if (filter == null) {
                throw ApiException.badRequest("status must be one of confirmed, waitlisted, cancelled");
            }
        }
        RegistrationStatus wanted = filter;
        return lock.call(() -> {
            findEvent(eventId);
            return registrations.findByEvent(eventId).stream()
                    .filter(r -> wanted == null || r.getStatus() == wanted)
                    .map(this::view)
                    .toList();
        });
    }

    /**
     * DELETE /events/{eventId}/registrations/{registrationId}: cancels the registration; a freed
     * seat goes to the first person on the waitlist. Returns {"cancelled": ..., "promoted": ...|null}.
     */
    public Map<String, RegistrationView> cancel(long eventId, long registrationId) {
        return lock.call(() -> {
            Event event = findEvent(eventId);
            Registration registration = registrations.findById(registrationId)
                    .filter(r -> r.getEventId() == eventId)
                    .orElseThrow(() -> ApiException.notFound(
                            "registration " + registrationId + " not found for event " + eventId));
            if (registration.getStatus() == RegistrationStatus.CANCELLED) {
                throw ApiException.conflict("registration " + registrationId + " is already cancelled");
            }
            registration.setStatus(RegistrationStatus.CANCELLED);
            List<Registration> promoted = promoteWaitlisted(event);

            Map<String, RegistrationView> result = new LinkedHashMap<>();
            result.put("cancelled", view(registration));
            result.put("promoted", promoted.isEmpty() ? null : view(promoted.get(0)));
            return result;
        });
    }

    /**
     * Moves waitlisted registrations (earliest first) to confirmed while the event has free seats.
     * Called with the booking lock held; returns the promoted registrations.
     */
    public List<Registration> promoteWaitlisted(Event event) {
        int free = event.getCapacity() - registrations.countByEventAndStatus(event.getId(), RegistrationStatus.CONFIRMED);
        if (free <= 0) {
            return List.of();
        }
        List<Registration> promoted = registrations.findByEvent(event.getId()).stream()
                .filter(r -> r.getStatus() == RegistrationStatus.WAITLISTED)
                .limit(free)
                .toList();
        promoted.forEach(r -> r.setStatus(RegistrationStatus.CONFIRMED));
        return promoted;
    }

    private Event findEvent(long eventId) {
        return events.findById(eventId).orElseThrow(() -> EventService.notFound(eventId));
    }

    private RegistrationView view(Registration r) {
        Integer position = null;
        if (r.getStatus() == RegistrationStatus.WAITLISTED) {
            int index = 0;
            for (Registration other : registrations.findByEvent(r.getEventId())) {
                if (other.getStatus() == RegistrationStatus.WAITLISTED) {
                    index++;
                    if (other.getId() == r.getId()) {
                        break;
                    }
                }
            }
            position = index;
        }
        return new RegistrationView(r.getId(), r.getEventId(), r.getName(), r.getEmail(), r.getStatus(), position);
    }
}
