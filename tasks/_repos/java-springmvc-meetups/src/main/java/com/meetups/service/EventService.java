package com.meetups.service;

import com.meetups.model.Event;
import com.meetups.model.RegistrationStatus;
import com.meetups.repository.EventRepository;
import com.meetups.repository.RegistrationRepository;
import com.meetups.web.EventRequest;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

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
        String name = Validation.text(request.getName(), "name", MAX_NAME);
        String venue = Validation.text(request.getVenue(), "venue", MAX_VENUE);
        LocalDateTime startsAt = Validation.startsAt(request.getStartsAt());
        int capacity = Validation.range(request.getCapacity(), "capacity", 1, MAX_CAPACITY);
        return lock.call(() -> view(events.create(name, venue, startsAt, capacity)));
    }

    /** Events sorted by start time then id, optionally only at one venue and/or from a date on. */
    public List<EventView> list(String venue, String from) {
        String venueFilter = venue == null || venue.isBlank() ? null : venue.trim().toLowerCase(Locale.ROOT);
        LocalDate fromDate = from == null || from.isBlank() ? null : Validation.date(from.trim(), "from");
        return lock.call(() -> events.findAll().stream()
                .filter(e -> venueFilter == null || e.getVenue().toLowerCase(Locale.ROOT).equals(venueFilter))
                .filter(e -> fromDate == null || !e.getStartsAt().toLocalDate().isBefore(fromDate))
                .sorted(Comparator.comparing(Event::getStartsAt).thenComparingLong(Event::getId))
                .map(this::view)
                .toList());
    }

    public EventView get(long id) {
        return lock.call(() -> view(find(id)));
    }

    /** Replaces all fields. Capacity may not drop below the confirmed seats; extra seats go to the waitlist. */
    public EventView update(long id, EventRequest request) {
        return lock.call(() -> {
            Event event = find(id);
            String name = Validation.text(request.getName(), "name", MAX_NAME);
            String venue = Validation.text(request.getVenue(), "venue", MAX_VENUE);
            LocalDateTime startsAt = Validation.startsAt(request.getStartsAt());
            int capacity = Validation.range(request.getCapacity(), "capacity", 1, MAX_CAPACITY);
            int confirmed = registrations.countByEventAndStatus(id, RegistrationStatus.CONFIRMED);
            if (capacity < confirmed) {
                throw ApiException.conflict("capacity " + capacity + " is below the " + confirmed + " confirmed registrations");
            }
            event.setName(name);
            event.setVenue(venue);
            event.setStartsAt(startsAt);
            event.setCapacity(capacity);
            registrationService.promoteWaitlisted(event);
            return view(event);
        });
    }

    /** Deletes an event nobody is confirmed for, together with its waitlisted/cancelled registrations. */
    public void delete(long id) {
        lock.call(() -> {
            find(id);
            int confirmed = registrations.countByEventAndStatus(id, RegistrationStatus.CONFIRMED);
            if (confirmed > 0) {
                throw ApiException.conflict("event " + id + " has " + confirmed + " confirmed registrations");
            }
            registrations.deleteByEvent(id);
            events.delete(id);
            return null;
        });
    }

    private Event find(long id) {
        return events.findById(id).orElseThrow(() -> notFound(id));
    }

    EventView view(Event event) {
        int confirmed = registrations.countByEventAndStatus(event.getId(), RegistrationStatus.CONFIRMED);
        int waitlisted = registrations.countByEventAndStatus(event.getId(), RegistrationStatus.WAITLISTED);
        return new EventView(event.getId(), event.getName(), event.getVenue(),
                event.getStartsAt().format(Validation.STARTS_AT), event.getCapacity(),
                confirmed, waitlisted, Math.max(0, event.getCapacity() - confirmed));
    }

    static ApiException notFound(long id) {
        return ApiException.notFound("event " + id + " not found");
    }
}
