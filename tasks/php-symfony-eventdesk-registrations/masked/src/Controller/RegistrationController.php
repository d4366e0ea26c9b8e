<?php

namespace App\Controller;

use App\Http\ApiException;
use App\Http\JsonBody;
use App\Repository\EventRepository;
use App\Repository\RegistrationRepository;
use App\Service\Presenter;
use App\Service\RegistrationService;
use App\Validation\Input;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\Routing\Attribute\Route;

#[Route('/api')]
class RegistrationController
{
    public function __construct(
        private readonly EventRepository $events,
        private readonly RegistrationRepository $registrations,
        private readonly RegistrationService $service,
        private readonly Presenter $presenter,
    ) {
    }

    #[Route('/events/{id}/registrations', name: 'registration_create', requirements: ['id' => '\d+'], methods: ['POST'])]
    public function create(int $id, Request $request): JsonResponse
    {
        // TODO: implement
        throw new ApiException(501, 'not_implemented', 'Not implemented');
    }

    #[Route('/events/{id}/registrations', name: 'registration_list', requirements: ['id' => '\d+'], methods: ['GET'])]
    public function list(int $id, Request $request): JsonResponse
    {
        // TODO: implement
        throw new ApiException(501, 'not_implemented', 'Not implemented');
    }

    #[Route('/registrations/{id}', name: 'registration_show', requirements: ['id' => '\d+'], methods: ['GET'])]
    public function show(int $id): JsonResponse
    {
        // TODO: implement
        throw new ApiException(501, 'not_implemented', 'Not implemented');
    }

    #[Route('/registrations/{id}/cancel', name: 'registration_cancel', requirements: ['id' => '\d+'], methods: ['POST'])]
    public function cancel(int $id): JsonResponse
    {
        // TODO: implement
        throw new ApiException(501, 'not_implemented', 'Not implemented');
    }

    #[Route('/registrations/{id}/check-in', name: 'registration_check_in', requirements: ['id' => '\d+'], methods: ['POST'])]
    public function checkIn(int $id): JsonResponse
    {
        // TODO: implement
        throw new ApiException(501, 'not_implemented', 'Not implemented');
    }
}
