<?php

declare(strict_types=1);

namespace Linkshelf\Http;

use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Slim\Container;
use Slim\Http\Response;

/**
 * Replaces Slim's HTML error pages with JSON ones.
 */
final class ErrorHandlers
{
    public static function register(Container $container, bool $debug): void
    {
        $container['notFoundHandler'] = static fn () => static function (
            ServerRequestInterface $request,
            Response $response,
        ): ResponseInterface {
            return $response->withJson(
                ['error' => ['code' => 'not_found', 'message' => 'No route for ' . $request->getUri()->getPath()]],
                404,
            );
        };

        $container['notAllowedHandler'] = static fn () => static function (
            ServerRequestInterface $request,
            Response $response,
            array $methods,
        ): ResponseInterface {
            return $response
                ->withHeader('Allow', implode(', ', $methods))
                ->withJson(
                    ['error' => ['code' => 'method_not_allowed', 'message' => 'Allowed: ' . implode(', ', $methods)]],
                    405,
                );
        };

        $handler = static fn () => static function (
            ServerRequestInterface $request,
            Response $response,
            \Throwable $error,
        ) use ($debug): ResponseInterface {
            if ($error instanceof ApiException) {
                return $response->withJson($error->toArray(), $error->getStatus());
            }
            error_log(sprintf('[linkshelf] %s: %s', $error::class, $error->getMessage()));
            $message = $debug ? $error->getMessage() : 'Internal server error';

            return $response->withJson(['error' => ['code' => 'internal_error', 'message' => $message]], 500);
        };
        $container['errorHandler'] = $handler;
        $container['phpErrorHandler'] = $handler;
    }
}
