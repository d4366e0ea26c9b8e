<?php

namespace App\Http\Controllers;

use App\Models\Ticket;
use Illuminate\Http\JsonResponse;

class StatsController extends Controller
{
    public function __invoke(): JsonResponse
    {
        $byStatus = array_fill_keys(Ticket::STATUSES, 0);
        foreach (Ticket::query()->selectRaw('status, count(*) as n')->groupBy('status')->pluck('n', 'status') as $status => $n) {
            $byStatus[$status] = (int) $n;
        }

        $byPriority = array_fill_keys(Ticket::PRIORITIES, 0);
        foreach (Ticket::query()->selectRaw('priority, count(*) as n')->groupBy('priority')->pluck('n', 'priority') as $priority => $n) {
            $byPriority[$priority] = (int) $n;
        }

        return response()->json([
            'by_status' => $byStatus,
            'by_priority' => $byPriority,
            'unassigned_open' => Ticket::query()->where('status', 'open')->whereNull('assignee_id')->count(),
        ]);
    }
}
