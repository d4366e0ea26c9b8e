<?php

namespace App\Http\Controllers;

use App\Models\Comment;
use App\Models\Ticket;
use App\Support\TicketWorkflow;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Illuminate\Validation\Rule;

class CommentController extends Controller
{
    public function __construct(private readonly TicketWorkflow $workflow)
    {
    }

    /**
     * GET /api/tickets/{ticket}/comments[?visibility=public|all]
     */
    public function index(Request $request, Ticket $ticket): JsonResponse
    {
        $filters = $this->validate($request, [
            'visibility' => ['sometimes', Rule::in(['public', 'all'])],
        ]);

        $comments = $ticket->comments()
            ->when(($filters['visibility'] ?? 'all') === 'public', fn ($q) => $q->where('internal', false))
            ->orderBy('id')
            ->get();

        return response()->json(['data' => $comments->map(fn (Comment $c) => $c->toApi())->all()]);
    }

    /**
     * POST /api/tickets/{ticket}/comments {"author_email", "body", "internal"?}
     */
    public function store(Request $request, Ticket $ticket): JsonResponse
    {
        $data = $this->validate($request, [
            'author_email' => ['required', 'email', 'max:255'],
            'body' => ['required', 'string', 'max:5000'],
            'internal' => ['sometimes', 'boolean:strict'],
        ]);
        $data['author_email'] = strtolower($data['author_email']);

        $comment = $this->workflow->comment($ticket, $data);

        return response()->json([
            'comment' => $comment->toApi(),
            'ticket_status' => $ticket->status,
        ], 201);
    }
}
