package com.meetups.repository;

import com.meetups.model.Registration;
import com.meetups.model.RegistrationStatus;

import java.util.List;
import java.util.Optional;

/** Storage of registrations. */
public interface RegistrationRepository {

    /** Creates and stores a registration with the next id (ids increase across all events). */
    Registration create(long eventId, String name, String email, RegistrationStatus status);

    Optional<Registration> findById(long id);

    /** Registrations of one event in id (= sign-up) order. */
    List<Registration> findByEvent(long eventId);

    /** Number of registrations of the event with the given status. */
    int countByEventAndStatus(long eventId, RegistrationStatus status);

    void deleteByEvent(long eventId);
}
