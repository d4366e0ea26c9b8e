<?php

declare(strict_types=1);

namespace Linkshelf\Validation;

use Linkshelf\Http\ApiException;

final class ValidationException extends ApiException
{
    /** @param array<string, string> $errors field => message */
    public function __construct(array $errors)
    {
        parent::__construct(422, 'validation_failed', 'The request body is invalid', $errors);
    }
}
