<?php

namespace App\Exceptions;

use Illuminate\Database\Eloquent\ModelNotFoundException;
use Illuminate\Foundation\Exceptions\Handler as ExceptionHandler;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Symfony\Component\HttpKernel\Exception\HttpExceptionInterface;
use Throwable;

class Handler extends ExceptionHandler
{
    /**
     * Business-rule violations are expected outcomes, not errors worth logging.
     *
     * @var array<int, class-string<Throwable>>
     */
    protected $dontReport = [
        DomainRuleException::class,
    ];

    /**
     * @var array<int, string>
     */
    protected $dontFlash = ['current_password', 'password', 'password_confirmation'];

    public function register(): void
    {
        $this->renderable(function (DomainRuleException $e, Request $request): JsonResponse {
            return response()->json(['message' => $e->getMessage()], $e->status());
        });

        // Route-model binding failures arrive here as a 404 HTTP exception wrapping the
        // ModelNotFoundException: answer "Ticket 12 not found" rather than the framework text.
        $this->renderable(function (HttpExceptionInterface $e, Request $request): JsonResponse {
            $previous = $e instanceof Throwable ? $e->getPrevious() : null;
            if ($previous instanceof ModelNotFoundException) {
                $message = trim(class_basename($previous->getModel()) . ' ' . implode(', ', $previous->getIds())) . ' not found';
            } else {
                $message = $e->getMessage() !== '' ? $e->getMessage() : 'HTTP error';
            }

            return response()->json(['message' => $message], $e->getStatusCode(), $e->getHeaders());
        });
    }

    /**
     * This service only speaks JSON.
     */
    protected function shouldReturnJson($request, Throwable $e): bool
    {
        return true;
    }
}
