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
        // TODO: implement
        return response()->json(['message' => 'Not implemented'], 501);
    }

    /**
     * POST /api/tickets/{ticket}/comments {"author_email", "body", "internal"?}
     */
    public function store(Request $request, Ticket $ticket): JsonResponse
    {
        // TODO: implement
        return response()->json(['message' => 'Not implemented'], 501);
    }
}
