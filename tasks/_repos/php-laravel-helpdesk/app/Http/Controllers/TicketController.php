<?php

namespace App\Http\Controllers;

use App\Exceptions\DomainRuleException;
use App\Models\Ticket;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Illuminate\Http\Response;
use Illuminate\Validation\Rule;

class TicketController extends Controller
{
    /**
     * GET /api/tickets: filtered, paginated list.
     */
    public function index(Request $request): JsonResponse
    {
        $filters = $this->validate($request, [
            'status' => ['sometimes', Rule::in(Ticket::STATUSES)],
            'priority' => ['sometimes', Rule::in(Ticket::PRIORITIES)],
            'assignee_id' => ['sometimes', 'integer', 'min:1'],
            'requester_email' => ['sometimes', 'email'],
            'sort' => ['sometimes', Rule::in(['id', 'priority'])],
            'page' => ['sometimes', 'integer', 'min:1'],
            'per_page' => ['sometimes', 'integer', 'min:1', 'max:100'],
        ]);

        $query = Ticket::query()->with('assignee')->withCount('comments');
        foreach (['status', 'priority', 'assignee_id'] as $column) {
            if (isset($filters[$column])) {
                $query->where($column, $filters[$column]);
            }
        }
        if (isset($filters['requester_email'])) {
            $query->where('requester_email', strtolower($filters['requester_email']));
        }
        if (($filters['sort'] ?? 'id') === 'priority') {
            $query->orderByPriority();
        }
        $query->orderBy('id');

        $perPage = (int) ($filters['per_page'] ?? 20);
        $page = (int) ($filters['page'] ?? 1);
        $paginator = $query->paginate($perPage, ['*'], 'page', $page);

        return response()->json([
            'data' => collect($paginator->items())->map(fn (Ticket $t) => $t->toApi())->all(),
            'meta' => [
                'page' => $paginator->currentPage(),
                'per_page' => $paginator->perPage(),
                'total' => $paginator->total(),
                'last_page' => $paginator->lastPage(),
            ],
        ]);
    }

    /**
     * POST /api/tickets
     */
    public function store(Request $request): JsonResponse
    {
        $data = $this->validate($request, [
            'subject' => ['required', 'string', 'max:150'],
            'description' => ['required', 'string', 'max:5000'],
            'requester_email' => ['required', 'email', 'max:255'],
            'priority' => ['sometimes', Rule::in(Ticket::PRIORITIES)],
            'assignee_id' => ['sometimes', 'nullable', 'integer', Rule::exists('agents', 'id')],
        ]);
        $data['requester_email'] = strtolower($data['requester_email']);

        $ticket = Ticket::create($data);

        return response()
            ->json($ticket->freshApi(), 201)
            ->header('Location', '/api/tickets/' . $ticket->id);
    }

    /**
     * GET /api/tickets/{ticket}
     */
    public function show(Ticket $ticket): JsonResponse
    {
        return response()->json($ticket->freshApi());
    }

    /**
     * PATCH /api/tickets/{ticket}: subject, description, priority, assignee_id (null unassigns).
     * The status changes only through the transitions endpoint.
     */
    public function update(Request $request, Ticket $ticket): JsonResponse
    {
        $data = $this->validate($request, [
            'subject' => ['sometimes', 'required', 'string', 'max:150'],
            'description' => ['sometimes', 'required', 'string', 'max:5000'],
            'priority' => ['sometimes', 'required', Rule::in(Ticket::PRIORITIES)],
            'assignee_id' => ['sometimes', 'nullable', 'integer', Rule::exists('agents', 'id')],
            'status' => ['prohibited'],
        ], [
            'status.prohibited' => 'The status can only be changed through POST /api/tickets/{id}/transitions.',
        ]);

        if ($ticket->isClosed()) {
            throw new DomainRuleException('Closed tickets cannot be edited');
        }
        if (array_key_exists('assignee_id', $data) && $data['assignee_id'] === null && $ticket->status === 'in_progress') {
            throw new DomainRuleException('A ticket in progress must keep an assignee');
        }

        $ticket->fill($data)->save();

        return response()->json($ticket->freshApi());
    }

    /**
     * DELETE /api/tickets/{ticket}: removes the ticket and its comments.
     */
    public function destroy(Ticket $ticket): Response
    {
        $ticket->delete();

        return response()->noContent();
    }
}
