<?php

namespace App\Service;

use App\Repository\RegistrationRepository;

/**
 * Builds the public JSON shapes of events and registrations.
 */
class Presenter
{
    public function __construct(private readonly RegistrationRepository $registrations)
    {
    }

    /**
     * @param array<string, mixed> $event a row from EventRepository
     * @return array<string, mixed>
     */
    public function event(array $event): array
    {
        $counts = $this->registrations->countByStatus($event['id']);
        $event['seats'] = [
            'confirmed' => $counts['confirmed'],
            'waitlisted' => $counts['waitlisted'],
            'available' => max(0, $event['capacity'] - $counts['confirmed']),
        ];

        return $event;
    }

    /**
     * @param array<string, mixed> $registration a row from RegistrationRepository
     * @return array<string, mixed>
     */
    public function registration(array $registration): array
    {
        $registration['waitlist_position'] = $this->registrations->waitlistPosition($registration);
        unset($registration['updated_at']);

        return $registration;
    }
}
