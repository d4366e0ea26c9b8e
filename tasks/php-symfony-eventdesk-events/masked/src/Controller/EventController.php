<?php

namespace App\Controller;

use App\Http\ApiException;
use App\Http\JsonBody;
use App\Repository\EventRepository;
use App\Repository\RegistrationRepository;
use App\Service\Presenter;
use App\Service\RegistrationService;
use App\Storage\Database;
use App\Validation\Input;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\Routing\Attribute\Route;

#[Route('/api/events')]
class EventController
{
    public function __construct(
        private readonly Database $db,
        private readonly EventRepository $events,
        private readonly RegistrationRepository $registrations,
        private readonly RegistrationService $seats,
        private readonly Presenter $presenter,
    ) {
    }

    #[Route('', name: 'event_list', methods: ['GET'])]
    public function list(Request $request): JsonResponse
    {
        // TODO: implement
        throw new ApiException(501, 'not_implemented', 'Not implemented');
    }

    #[Route('', name: 'event_create', methods: ['POST'])]
    public function create(Request $request): JsonResponse
    {
        // TODO: implement
        throw new ApiException(501, 'not_implemented', 'Not implemented');
    }

    #[Route('/{id}', name: 'event_show', requirements: ['id' => '\d+'], methods: ['GET'])]
    public function show(int $id): JsonResponse
    {
        // TODO: implement
        throw new ApiException(501, 'not_implemented', 'Not implemented');
    }

    /**
     * Partial update. Lowering the capacity below the confirmed seats is refused; raising it
     * confirms waitlisted registrations, oldest first.
     */
    #[Route('/{id}', name: 'event_update', requirements: ['id' => '\d+'], methods: ['PATCH'])]
    public function update(int $id, Request $request): JsonResponse
    {
        // TODO: implement
        throw new ApiException(501, 'not_implemented', 'Not implemented');
    }

    /**
     * Only events without active (confirmed or waitlisted) registrations can be deleted.
     */
    #[Route('/{id}', name: 'event_delete', requirements: ['id' => '\d+'], methods: ['DELETE'])]
    public function delete(int $id): Response
    {
        // TODO: implement
        throw new ApiException(501, 'not_implemented', 'Not implemented');
    }
}
