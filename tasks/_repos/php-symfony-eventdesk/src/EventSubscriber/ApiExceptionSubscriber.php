<?php

namespace App\EventSubscriber;

use App\Http\ApiException;
use Psr\Log\LoggerInterface;
use Symfony\Component\EventDispatcher\EventSubscriberInterface;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpKernel\Event\ExceptionEvent;
use Symfony\Component\HttpKernel\Exception\HttpExceptionInterface;
use Symfony\Component\HttpKernel\KernelEvents;

/**
 * Turns every exception into a JSON error body, so clients never see Symfony's HTML pages.
 */
final class ApiExceptionSubscriber implements EventSubscriberInterface
{
    public function __construct(private readonly ?LoggerInterface $logger = null)
    {
    }

    public static function getSubscribedEvents(): array
    {
        // Run before the framework's ErrorListener (priority -128).
        return [KernelEvents::EXCEPTION => ['onException', 0]];
    }

    public function onException(ExceptionEvent $event): void
    {
        $e = $event->getThrowable();

        if ($e instanceof ApiException) {
            $event->setResponse(new JsonResponse($e->toArray(), $e->getStatus()));
            return;
        }

        if ($e instanceof HttpExceptionInterface) {
            $status = $e->getStatusCode();
            $code = match ($status) {
                404 => 'not_found',
                405 => 'method_not_allowed',
                default => 'http_error',
            };
            $response = new JsonResponse(['error' => ['code' => $code, 'message' => $e->getMessage()]], $status, $e->getHeaders());
            $event->setResponse($response);
            return;
        }

        $this->logger?->error('Unhandled exception: ' . $e->getMessage(), ['exception' => $e]);
        $event->setResponse(new JsonResponse(
            ['error' => ['code' => 'internal_error', 'message' => 'Internal server error']],
            500,
        ));
    }
}
