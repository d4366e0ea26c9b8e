package com.meetups.web;

/** Body of POST /events and PUT /events/{id}. Bound by Jackson (snake_case). */
public class EventRequest {
    private String name;
    private String venue;
    private String startsAt;
    private Integer capacity;

    public EventRequest() {
    }

    public EventRequest(String name, String venue, String startsAt, Integer capacity) {
        this.name = name;
        this.venue = venue;
        this.startsAt = startsAt;
        this.capacity = capacity;
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

    public String getStartsAt() {
        return startsAt;
    }

    public void setStartsAt(String startsAt) {
        this.startsAt = startsAt;
    }

    public Integer getCapacity() {
        return capacity;
    }

    public void setCapacity(Integer capacity) {
        this.capacity = capacity;
    }
}
