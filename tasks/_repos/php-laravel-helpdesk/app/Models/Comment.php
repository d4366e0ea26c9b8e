<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\BelongsTo;

class Comment extends Model
{
    protected $fillable = ['author_email', 'body', 'internal'];

    protected $casts = [
        'internal' => 'boolean',
    ];

    public function ticket(): BelongsTo
    {
        return $this->belongsTo(Ticket::class);
    }

    /**
     * @return array<string, mixed>
     */
    public function toApi(): array
    {
        return [
            'id' => $this->id,
            'ticket_id' => $this->ticket_id,
            'author_email' => $this->author_email,
            'body' => $this->body,
            'internal' => $this->internal,
            'created_at' => $this->created_at?->toIso8601ZuluString(),
        ];
    }
}
