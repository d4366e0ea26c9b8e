<?php

namespace App\Http;

/**
 * An error with an HTTP status, rendered as {"error": {"code", "message", "fields"?}}.
 */
class ApiException extends \RuntimeException
{
    /** @param array<string, string> $fields */
    public function __construct(
        private readonly int $status,
        private readonly string $errorCode,
        string $message,
        private readonly array $fields = [],
    ) {
        parent::__construct($message);
    }

    public static function notFound(string $what, int|string $id): self
    {
        return new self(404, 'not_found', sprintf('%s %s not found', $what, $id));
    }

    public static function conflict(string $message): self
    {
        return new self(409, 'conflict', $message);
    }

    public static function badRequest(string $message): self
    {
        return new self(400, 'bad_request', $message);
    }

    public function getStatus(): int
    {
        return $this->status;
    }

    /** @return array{error: array<string, mixed>} */
    public function toArray(): array
    {
        $error = ['code' => $this->errorCode, 'message' => $this->getMessage()];
        if ($this->fields !== []) {
            $error['fields'] = $this->fields;
        }

        return ['error' => $error];
    }
}
