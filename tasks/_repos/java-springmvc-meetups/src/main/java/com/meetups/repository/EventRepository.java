package com.meetups.repository;

import com.meetups.model.Event;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/** Storage of events. */
public interface EventRepository {

    /** Creates and stores an event with the next id. */
    Event create(String name, String venue, LocalDateTime startsAt, int capacity);

    Optional<Event> findById(long id);

    /** All events, in id order. */
    List<Event> findAll();

    boolean delete(long id);
}
