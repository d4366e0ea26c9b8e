<?php

declare(strict_types=1);

namespace Linkshelf\Http;

use Psr\Http\Message\ServerRequestInterface;

final class JsonInput
{
    /**
     * Decodes the request body as a JSON object.
     *
     * @return array<string, mixed>
     * @throws ApiException 400 when the body is missing, malformed or not an object
     */
    public static function object(ServerRequestInterface $request): array
    {
        $raw = trim((string) $request->getBody());
        if ($raw === '') {
            throw ApiException::badRequest('Request body must be a JSON object');
        }
        try {
            $data = json_decode($raw, true, 32, JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw ApiException::badRequest('Malformed JSON: ' . $e->getMessage());
        }
        if (!is_array($data) || ($data !== [] && array_is_list($data))) {
            throw ApiException::badRequest('Request body must be a JSON object');
        }

        return $data;
    }
}
