<?php

namespace App\Service;

use App\Http\ApiException;
use App\Repository\EventRepository;
use App\Repository\RegistrationRepository;
use App\Storage\Database;

/**
 * Seat allocation: registrations are confirmed while the event has free seats and waitlisted
 * after that; a freed seat goes to the oldest waitlisted registration.
 */
class RegistrationService
{
    public function __construct(
        private readonly Database $db,
        private readonly EventRepository $events,
        private readonly RegistrationRepository $registrations,
    ) {
    }

    /**
     * @return array<string, mixed> the new registration
     * @throws ApiException 404 unknown event, 409 email already registered
     */
    public function register(int $eventId, string $name, string $email): array
    {
        return $this->db->transactional(function () use ($eventId, $name, $email): array {
            $event = $this->events->find($eventId) ?? throw ApiException::notFound('Event', $eventId);
            if ($this->registrations->hasActive($eventId, $email)) {
                throw ApiException::conflict(sprintf('%s is already registered for this event', $email));
            }
            $confirmed = $this->registrations->countByStatus($eventId)['confirmed'];
            $status = $confirmed < $event['capacity'] ? 'confirmed' : 'waitlisted';
            $id = $this->registrations->insert($eventId, $name, $email, $status);

            return $this->registrations->find($id);
        });
    }

    /**
     * Cancels a registration; a confirmed seat that frees up goes to the oldest waitlisted one.
     *
     * @return array{registration: array<string, mixed>, promoted: array<string, mixed>|null}
     * @throws ApiException 404 unknown registration, 409 already cancelled or checked in
     */
    public function cancel(int $registrationId): array
    {
        return $this->db->transactional(function () use ($registrationId): array {
            $registration = $this->registrations->find($registrationId)
                ?? throw ApiException::notFound('Registration', $registrationId);
            if ($registration['status'] === 'cancelled') {
                throw ApiException::conflict('The registration is already cancelled');
            }
            if ($registration['checked_in_at'] !== null) {
                throw ApiException::conflict('A checked-in registration cannot be cancelled');
            }
            $this->registrations->setStatus($registrationId, 'cancelled');
            $promoted = $this->fillFreeSeats($registration['event_id']);

            return [
                'registration' => $this->registrations->find($registrationId),
                'promoted' => $promoted[0] ?? null,
            ];
        });
    }

    /**
     * @return array<string, mixed> the checked-in registration
     * @throws ApiException 404 unknown registration, 409 not confirmed or already checked in
     */
    public function checkIn(int $registrationId): array
    {
        $registration = $this->registrations->find($registrationId)
            ?? throw ApiException::notFound('Registration', $registrationId);
        if ($registration['status'] !== 'confirmed') {
            throw ApiException::conflict(sprintf('Only confirmed registrations can check in (this one is %s)', $registration['status']));
        }
        if ($registration['checked_in_at'] !== null) {
            throw ApiException::conflict('The registration has already checked in');
        }
        $this->registrations->markCheckedIn($registrationId);

        return $this->registrations->find($registrationId);
    }

    /**
     * Confirms waitlisted registrations, oldest first, while the event has free seats.
     * Call inside a transaction.
     *
     * @return list<array<string, mixed>> the promoted registrations
     */
    public function fillFreeSeats(int $eventId): array
    {
        $event = $this->events->find($eventId);
        if ($event === null) {
            return [];
        }
        $free = $event['capacity'] - $this->registrations->countByStatus($eventId)['confirmed'];
        $promoted = [];
        foreach ($this->registrations->oldestWaitlisted($eventId, $free) as $registration) {
            $this->registrations->setStatus($registration['id'], 'confirmed');
            $promoted[] = $this->registrations->find($registration['id']);
        }

        return $promoted;
    }
}
