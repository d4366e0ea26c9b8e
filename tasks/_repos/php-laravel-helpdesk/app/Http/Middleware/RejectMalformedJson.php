<?php

namespace App\Http\Middleware;

use Closure;
use Illuminate\Http\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * Laravel silently treats an unparsable JSON body as empty input, which would surface as a
 * confusing list of "required" validation errors. Reject it up front with a 400 instead.
 */
class RejectMalformedJson
{
    public function handle(Request $request, Closure $next): Response
    {
        $content = $request->getContent();
        if ($request->isJson() && trim($content) !== '') {
            $decoded = json_decode($content, true);
            if (json_last_error() !== JSON_ERROR_NONE || ! is_array($decoded)) {
                return response()->json(['message' => 'The request body is not a valid JSON object.'], 400);
            }
        }

        return $next($request);
    }
}
