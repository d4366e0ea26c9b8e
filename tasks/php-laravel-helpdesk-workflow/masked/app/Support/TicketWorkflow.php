<?php

namespace App\Support;

use App\Exceptions\DomainRuleException;
use App\Models\Comment;
use App\Models\Ticket;
use Illuminate\Support\Facades\DB;

/**
 * The ticket life cycle:
 *
 *   open ──► in_progress ──► resolved ──► closed
 *     │  ▲        │  ▲            │
 *     │  └────────┘  │            └──► open (reopened)
 *     └──► on_hold ◄─┘
 *
 * plus open → resolved and open → closed directly. Closed is final.
 */
class TicketWorkflow
{
    /** @var array<string, list<string>> status => statuses it may move to */
    public const TRANSITIONS = [
        'open' => ['in_progress', 'on_hold', 'resolved', 'closed'],
        'in_progress' => ['open', 'on_hold', 'resolved'],
        'on_hold' => ['open', 'in_progress'],
        'resolved' => ['open', 'closed'],
        'closed' => [],
    ];

    public function canTransition(string $from, string $to): bool
    {
        return in_array($to, self::TRANSITIONS[$from] ?? [], true);
    }

    /**
     * Moves the ticket to `$to`, keeping resolved_at/closed_at consistent.
     *
     * @throws DomainRuleException 409 when the move is not allowed
     */
    public function transition(Ticket $ticket, string $to): Ticket
    {
        // TODO: implement
        throw new DomainRuleException('Not implemented', 501);
    }

    /**
     * Adds a comment. Closed tickets take no comments; a public reply from the requester on a
     * resolved ticket reopens it.
     *
     * @param array{author_email: string, body: string, internal?: bool} $data
     * @throws DomainRuleException 409 on a closed ticket
     */
    public function comment(Ticket $ticket, array $data): Comment
    {
        // TODO: implement
        throw new DomainRuleException('Not implemented', 501);
    }
}
