package com.meetups.model;

/** One person's registration for an event. */
public class Registration {
    private final long id;
    private final long eventId;
    private final String name;
    private final String email;
    private RegistrationStatus status;

    public Registration(long id, long eventId, String name, String email, RegistrationStatus status) {
        this.id = id;
        this.eventId = eventId;
        this.name = name;
        this.email = email;
        this.status = status;
    }

    public long getId() {
        return id;
    }

    public long getEventId() {
        return eventId;
    }

    public String getName() {
        return name;
    }

    public String getEmail() {
        return email;
    }

    public RegistrationStatus getStatus() {
        return status;
    }

    public void setStatus(RegistrationStatus status) {
        this.status = status;
    }
}
