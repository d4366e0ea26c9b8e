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
        $filters = [];
        foreach (['from', 'to'] as $bound) {
            $raw = $request->query->get($bound);
            if ($raw !== null && $raw !== '') {
                $filters[$bound] = Input::normalizeDateTime($raw)
                    ?? throw ApiException::badRequest(sprintf('%s must be an ISO 8601 date-time with a timezone', $bound));
            }
        }
        $tag = $request->query->get('tag');
        if ($tag !== null && $tag !== '') {
            $filters['tag'] = strtolower(trim($tag));
        }
        $q = trim((string) $request->query->get('q', ''));
        if ($q !== '') {
            $filters['q'] = $q;
        }

        $items = array_map($this->presenter->event(...), $this->events->search($filters));

        return new JsonResponse(['items' => $items, 'count' => \count($items)]);
    }

    #[Route('', name: 'event_create', methods: ['POST'])]
    public function create(Request $request): JsonResponse
    {
        $input = new Input(JsonBody::decode($request));
        $data = [
            'title' => $input->string('title', 3, 120),
            'description' => $input->string('description', 0, 2000, required: false) ?? '',
            'location' => $input->string('location', 0, 120, required: false) ?? '',
            'starts_at' => $input->dateTime('starts_at'),
            'capacity' => $input->integer('capacity', 1, 10000),
            'tags' => $input->tags('tags') ?? [],
        ];
        $input->check();

        $id = $this->events->insert($data);

        return new JsonResponse(
            $this->presenter->event($this->events->find($id)),
            Response::HTTP_CREATED,
            ['Location' => '/api/events/' . $id],
        );
    }

    #[Route('/{id}', name: 'event_show', requirements: ['id' => '\d+'], methods: ['GET'])]
    public function show(int $id): JsonResponse
    {
        return new JsonResponse($this->presenter->event($this->findOrFail($id)));
    }

    /**
     * Partial update. Lowering the capacity below the confirmed seats is refused; raising it
     * confirms waitlisted registrations, oldest first.
     */
    #[Route('/{id}', name: 'event_update', requirements: ['id' => '\d+'], methods: ['PATCH'])]
    public function update(int $id, Request $request): JsonResponse
    {
        $event = $this->findOrFail($id);
        $input = new Input(JsonBody::decode($request));
        $changes = [];
        if ($input->has('title')) {
            $changes['title'] = $input->string('title', 3, 120);
        }
        if ($input->has('description')) {
            $changes['description'] = $input->string('description', 0, 2000, required: false) ?? '';
        }
        if ($input->has('location')) {
            $changes['location'] = $input->string('location', 0, 120, required: false) ?? '';
        }
        if ($input->has('starts_at')) {
            $changes['starts_at'] = $input->dateTime('starts_at');
        }
        if ($input->has('capacity')) {
            $changes['capacity'] = $input->integer('capacity', 1, 10000);
        }
        if ($input->has('tags')) {
            $changes['tags'] = $input->tags('tags') ?? [];
        }
        $input->check();

        $this->db->transactional(function () use ($event, $changes): void {
            if (isset($changes['capacity'])) {
                $confirmed = $this->registrations->countByStatus($event['id'])['confirmed'];
                if ($changes['capacity'] < $confirmed) {
                    throw ApiException::conflict(sprintf(
                        'Capacity cannot be lower than the %d confirmed registrations',
                        $confirmed,
                    ));
                }
            }
            $this->events->update($event['id'], $changes);
            $this->seats->fillFreeSeats($event['id']);
        });

        return new JsonResponse($this->presenter->event($this->events->find($id)));
    }

    /**
     * Only events without active (confirmed or waitlisted) registrations can be deleted.
     */
    #[Route('/{id}', name: 'event_delete', requirements: ['id' => '\d+'], methods: ['DELETE'])]
    public function delete(int $id): Response
    {
        $this->findOrFail($id);
        $counts = $this->registrations->countByStatus($id);
        if ($counts['confirmed'] + $counts['waitlisted'] > 0) {
            throw ApiException::conflict('The event still has active registrations');
        }
        $this->events->delete($id);

        return new Response(null, Response::HTTP_NO_CONTENT);
    }

    /** @return array<string, mixed> */
    private function findOrFail(int $id): array
    {
        return $this->events->find($id) ?? throw ApiException::notFound('Event', $id);
    }
}
