package com.meetups.service;

import com.meetups.model.RegistrationStatus;

/** A registration as the API shows it; waitlist_position is 1-based, null unless waitlisted. */
public record RegistrationView(
        long id,
        long eventId,
        String name,
        String email,
        RegistrationStatus status,
        Integer waitlistPosition) {
}
