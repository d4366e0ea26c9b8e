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
        // TODO: implement
        return $this->notImplemented();
    }

    /**
     * POST /api/tickets
     */
    public function store(Request $request): JsonResponse
    {
        // TODO: implement
        return $this->notImplemented();
    }

    /**
     * GET /api/tickets/{ticket}
     */
    public function show(Ticket $ticket): JsonResponse
    {
        // TODO: implement
        return $this->notImplemented();
    }

    /**
     * PATCH /api/tickets/{ticket}
     */
    public function update(Request $request, Ticket $ticket): JsonResponse
    {
        // TODO: implement
        return $this->notImplemented();
    }

    /**
     * DELETE /api/tickets/{ticket}
     */
    public function destroy(Ticket $ticket): JsonResponse|Response
    {
        // TODO: implement
        return $this->notImplemented();
    }

    private function notImplemented(): JsonResponse
    {
        return response()->json(['message' => 'Not implemented'], 501);
    }
}
