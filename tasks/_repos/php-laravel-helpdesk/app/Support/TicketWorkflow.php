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
        $from = $ticket->status;
        if ($from === $to) {
            throw new DomainRuleException("Ticket is already $to");
        }
        if (! $this->canTransition($from, $to)) {
            throw new DomainRuleException("Cannot move a ticket from $from to $to");
        }
        if ($to === 'in_progress' && $ticket->assignee_id === null) {
            throw new DomainRuleException('Assign the ticket to an agent before starting work on it');
        }

        $ticket->status = $to;
        match ($to) {
            'resolved' => $ticket->resolved_at = now(),
            'closed' => $ticket->closed_at = now(),
            'open' => $ticket->resolved_at = null,
            default => null,
        };
        $ticket->save();

        return $ticket;
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
        if ($ticket->isClosed()) {
            throw new DomainRuleException('Closed tickets cannot receive comments');
        }

        return DB::transaction(function () use ($ticket, $data): Comment {
            /** @var Comment $comment */
            $comment = $ticket->comments()->create([
                'author_email' => $data['author_email'],
                'body' => $data['body'],
                'internal' => $data['internal'] ?? false,
            ]);

            $fromRequester = strcasecmp($data['author_email'], $ticket->requester_email) === 0;
            if ($ticket->status === 'resolved' && $fromRequester && ! $comment->internal) {
                $this->transition($ticket, 'open');
            } else {
                $ticket->touch();
            }

            return $comment;
        });
    }
}
