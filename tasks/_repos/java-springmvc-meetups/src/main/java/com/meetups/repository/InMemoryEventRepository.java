package com.meetups.repository;

import com.meetups.model.Event;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Events kept in memory, ordered by id. */
public class InMemoryEventRepository implements EventRepository {
    private final Map<Long, Event> events = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();

    @Override
    public Event create(String name, String venue, LocalDateTime startsAt, int capacity) {
        Event event = new Event(sequence.incrementAndGet(), name, venue, startsAt, capacity);
        events.put(event.getId(), event);
        return event;
    }

    @Override
    public Optional<Event> findById(long id) {
        return Optional.ofNullable(events.get(id));
    }

    @Override
    public List<Event> findAll() {
        return new ArrayList<>(events.values());
    }

    @Override
    public boolean delete(long id) {
        return events.remove(id) != null;
    }
}
