<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Builder;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\BelongsTo;
use Illuminate\Database\Eloquent\Relations\HasMany;

/**
 * @property int $id
 * @property string $status
 * @property string $priority
 * @property string $requester_email
 * @property int|null $assignee_id
 */
class Ticket extends Model
{
    public const STATUSES = ['open', 'in_progress', 'on_hold', 'resolved', 'closed'];

    /** Highest first: the order used by `sort=priority`. */
    public const PRIORITIES = ['urgent', 'high', 'normal', 'low'];

    protected $fillable = ['subject', 'description', 'requester_email', 'priority', 'assignee_id'];

    protected $attributes = [
        'priority' => 'normal',
        'status' => 'open',
    ];

    protected $casts = [
        'assignee_id' => 'integer',
        'resolved_at' => 'datetime',
        'closed_at' => 'datetime',
    ];

    public function assignee(): BelongsTo
    {
        return $this->belongsTo(Agent::class, 'assignee_id');
    }

    public function comments(): HasMany
    {
        return $this->hasMany(Comment::class);
    }

    public function isClosed(): bool
    {
        return $this->status === 'closed';
    }

    /**
     * Orders urgent tickets first, then high, normal and low.
     */
    public function scopeOrderByPriority(Builder $query): Builder
    {
        $cases = collect(self::PRIORITIES)
            ->map(fn (string $priority, int $rank) => "WHEN '$priority' THEN $rank")
            ->implode(' ');

        return $query->orderByRaw("CASE priority $cases ELSE 99 END");
    }

    /**
     * The public JSON shape of a ticket. Expects `assignee` loaded and `comments_count` counted.
     *
     * @return array<string, mixed>
     */
    public function toApi(): array
    {
        return [
            'id' => $this->id,
            'subject' => $this->subject,
            'description' => $this->description,
            'requester_email' => $this->requester_email,
            'priority' => $this->priority,
            'status' => $this->status,
            'assignee_id' => $this->assignee_id,
            'assignee' => $this->assignee?->toSummary(),
            'comments_count' => (int) ($this->comments_count ?? $this->comments()->count()),
            'resolved_at' => $this->resolved_at?->toIso8601ZuluString(),
            'closed_at' => $this->closed_at?->toIso8601ZuluString(),
            'created_at' => $this->created_at?->toIso8601ZuluString(),
            'updated_at' => $this->updated_at?->toIso8601ZuluString(),
        ];
    }

    /**
     * Reloads the relations `toApi()` needs and returns the JSON shape.
     *
     * @return array<string, mixed>
     */
    public function freshApi(): array
    {
        $this->load('assignee')->loadCount('comments');

        return $this->toApi();
    }
}
