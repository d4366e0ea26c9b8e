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
        if ($this->events->find($id) === null) {
            throw ApiException::notFound('Event', $id);
        }
        $input = new Input(JsonBody::decode($request));
        $name = $input->string('name', 1, 100);
        $email = $input->email('email');
        $input->check();

        $registration = $this->service->register($id, $name, $email);

        return new JsonResponse(
            $this->presenter->registration($registration),
            Response::HTTP_CREATED,
            ['Location' => '/api/registrations/' . $registration['id']],
        );
    }

    #[Route('/events/{id}/registrations', name: 'registration_list', requirements: ['id' => '\d+'], methods: ['GET'])]
    public function list(int $id, Request $request): JsonResponse
    {
        if ($this->events->find($id) === null) {
            throw ApiException::notFound('Event', $id);
        }
        $status = $request->query->get('status');
        if ($status !== null && !\in_array($status, RegistrationRepository::STATUSES, true)) {
            throw ApiException::badRequest('status must be one of: ' . implode(', ', RegistrationRepository::STATUSES));
        }

        $items = array_map($this->presenter->registration(...), $this->registrations->forEvent($id, $status));

        return new JsonResponse(['items' => $items, 'count' => \count($items)]);
    }

    #[Route('/registrations/{id}', name: 'registration_show', requirements: ['id' => '\d+'], methods: ['GET'])]
    public function show(int $id): JsonResponse
    {
        $registration = $this->registrations->find($id) ?? throw ApiException::notFound('Registration', $id);

        return new JsonResponse($this->presenter->registration($registration));
    }

    #[Route('/registrations/{id}/cancel', name: 'registration_cancel', requirements: ['id' => '\d+'], methods: ['POST'])]
    public function cancel(int $id): JsonResponse
    {
        $result = $this->service->cancel($id);

        return new JsonResponse([
            'registration' => $this->presenter->registration($result['registration']),
            'promoted' => $result['promoted'] === null ? null : $this->presenter->registration($result['promoted']),
        ]);
    }

    #[Route('/registrations/{id}/check-in', name: 'registration_check_in', requirements: ['id' => '\d+'], methods: ['POST'])]
    public function checkIn(int $id): JsonResponse
    {
        return new JsonResponse($this->presenter->registration($this->service->checkIn($id)));
    }
}
