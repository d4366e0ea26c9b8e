package com.meetups.web;

/** Body of POST /events/{id}/registrations. */
public class RegistrationRequest {
    private String name;
    private String email;

    public RegistrationRequest() {
    }

    public RegistrationRequest(String name, String email) {
        this.name = name;
        this.email = email;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }
}
