package com.meetups.model;

import java.time.LocalDateTime;

/** A scheduled meetup with a fixed number of seats. Mutable; guarded by the service's locking. */
public class Event {
    private final long id;
    private String name;
    private String venue;
    private LocalDateTime startsAt;
    private int capacity;

    public Event(long id, String name, String venue, LocalDateTime startsAt, int capacity) {
        this.id = id;
        this.name = name;
        this.venue = venue;
        this.startsAt = startsAt;
        this.capacity = capacity;
    }

    public long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getVenue() {
        return venue;
    }

    public void setVenue(String venue) {
        this.venue = venue;
    }

    public LocalDateTime getStartsAt() {
        return startsAt;
    }

    public void setStartsAt(LocalDateTime startsAt) {
        this.startsAt = startsAt;
    }

    public int getCapacity() {
        return capacity;
    }

    public void setCapacity(int capacity) {
        this.capacity = capacity;
    }
}
