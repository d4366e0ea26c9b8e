<?php

namespace App\Http;

use Symfony\Component\HttpFoundation\Request;

final class JsonBody
{
    /**
     * The request body decoded as a JSON object.
     *
     * @return array<string, mixed>
     * @throws ApiException 400 for a missing, malformed or non-object body
     */
    public static function decode(Request $request): array
    {
        $content = trim($request->getContent());
        if ($content === '') {
            throw ApiException::badRequest('A JSON object body is required');
        }
        try {
            $data = json_decode($content, true, 32, \JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw ApiException::badRequest('Malformed JSON: ' . $e->getMessage());
        }
        if (!\is_array($data) || ($data !== [] && array_is_list($data))) {
            throw ApiException::badRequest('The JSON body must be an object');
        }

        return $data;
    }
}
