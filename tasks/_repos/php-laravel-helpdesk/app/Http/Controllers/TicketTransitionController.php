<?php

namespace App\Http\Controllers;

use App\Models\Ticket;
use App\Support\TicketWorkflow;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Illuminate\Validation\Rule;

class TicketTransitionController extends Controller
{
    public function __construct(private readonly TicketWorkflow $workflow)
    {
    }

    /**
     * GET /api/tickets/{ticket}/transitions: where the ticket can go from here.
     */
    public function index(Ticket $ticket): JsonResponse
    {
        return response()->json([
            'status' => $ticket->status,
            'allowed' => TicketWorkflow::TRANSITIONS[$ticket->status],
        ]);
    }

    /**
     * POST /api/tickets/{ticket}/transitions {"status": "..."}
     */
    public function store(Request $request, Ticket $ticket): JsonResponse
    {
        $data = $this->validate($request, [
            'status' => ['required', Rule::in(Ticket::STATUSES)],
        ]);

        $this->workflow->transition($ticket, $data['status']);

        return response()->json($ticket->freshApi());
    }
}
