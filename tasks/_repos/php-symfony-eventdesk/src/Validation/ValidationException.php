<?php

namespace App\Validation;

use App\Http\ApiException;

final class ValidationException extends ApiException
{
    /** @param array<string, string> $fields field => message */
    public function __construct(array $fields)
    {
        parent::__construct(422, 'validation_failed', 'The request is invalid', $fields);
    }
}
