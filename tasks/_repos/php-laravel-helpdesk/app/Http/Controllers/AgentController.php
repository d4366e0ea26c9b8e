<?php

namespace App\Http\Controllers;

use App\Models\Agent;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Illuminate\Validation\Rule;

class AgentController extends Controller
{
    public function index(): JsonResponse
    {
        $agents = Agent::query()
            ->withCount(['tickets as open_tickets' => fn ($q) => $q->whereIn('status', ['open', 'in_progress', 'on_hold'])])
            ->orderBy('name')
            ->get();

        return response()->json(['data' => $agents->map(fn (Agent $a) => $this->present($a))->all()]);
    }

    public function store(Request $request): JsonResponse
    {
        $data = $this->validate($request, [
            'name' => ['required', 'string', 'max:100'],
            'email' => ['required', 'email', 'max:255', Rule::unique('agents', 'email')],
        ]);
        $data['email'] = strtolower($data['email']);

        $agent = Agent::create($data);
        $agent->open_tickets = 0;

        return response()->json($this->present($agent), 201);
    }

    public function show(Agent $agent): JsonResponse
    {
        $agent->loadCount(['tickets as open_tickets' => fn ($q) => $q->whereIn('status', ['open', 'in_progress', 'on_hold'])]);

        return response()->json($this->present($agent));
    }

    /**
     * @return array<string, mixed>
     */
    private function present(Agent $agent): array
    {
        return $agent->toSummary() + [
            'open_tickets' => (int) $agent->open_tickets,
            'created_at' => $agent->created_at?->toIso8601ZuluString(),
        ];
    }
}
