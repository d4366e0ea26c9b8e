package com.meetups.repository;

import com.meetups.model.Registration;
import com.meetups.model.RegistrationStatus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Registrations kept in memory, ordered by id. */
public class InMemoryRegistrationRepository implements RegistrationRepository {
    private final Map<Long, Registration> registrations = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();

    @Override
    public Registration create(long eventId, String name, String email, RegistrationStatus status) {
        Registration r = new Registration(sequence.incrementAndGet(), eventId, name, email, status);
        registrations.put(r.getId(), r);
        return r;
    }

    @Override
    public Optional<Registration> findById(long id) {
        return Optional.ofNullable(registrations.get(id));
    }

    @Override
    public List<Registration> findByEvent(long eventId) {
        return registrations.values().stream().filter(r -> r.getEventId() == eventId).toList();
    }

    @Override
    public int countByEventAndStatus(long eventId, RegistrationStatus status) {
        return (int) registrations.values().stream()
                .filter(r -> r.getEventId() == eventId && r.getStatus() == status)
                .count();
    }

    @Override
    public void deleteByEvent(long eventId) {
        registrations.values().removeIf(r -> r.getEventId() == eventId);
    }
}
