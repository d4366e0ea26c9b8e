<?php

declare(strict_types=1);

namespace Linkshelf\Http;

/**
 * An error that maps directly onto an HTTP response: {"error": {"code", "message", "details"?}}.
 */
class ApiException extends \RuntimeException
{
    /** @param array<string, string> $details */
    public function __construct(
        private readonly int $status,
        private readonly string $errorCode,
        string $message,
        private readonly array $details = [],
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

    /** @return array<string, mixed> */
    public function toArray(): array
    {
        $error = ['code' => $this->errorCode, 'message' => $this->getMessage()];
        if ($this->details !== []) {
            $error['details'] = $this->details;
        }

        return ['error' => $error];
    }
}
