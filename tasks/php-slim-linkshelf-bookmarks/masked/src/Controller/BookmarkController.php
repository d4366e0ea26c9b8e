<?php

declare(strict_types=1);

namespace Linkshelf\Controller;

use Linkshelf\Http\ApiException;
use Linkshelf\Http\JsonInput;
use Linkshelf\Repository\BookmarkRepository;
use Linkshelf\Repository\CollectionRepository;
use Linkshelf\Validation\Validator;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Slim\Http\Response;

final class BookmarkController
{
    public function __construct(
        private readonly BookmarkRepository $bookmarks,
        private readonly CollectionRepository $collections,
    ) {
    }

    /**
     * GET /bookmarks?collection_id=&tag=&q=&read=
     */
    public function list(ServerRequestInterface $request, Response $response): ResponseInterface
    {
        // TODO: implement
        return self::notImplemented($response);
    }

    /**
     * POST /collections/{id}/bookmarks
     *
     * @param array{id: string} $args
     */
    public function create(ServerRequestInterface $request, Response $response, array $args): ResponseInterface
    {
        // TODO: implement
        return self::notImplemented($response);
    }

    /** @param array{id: string} $args */
    public function show(ServerRequestInterface $request, Response $response, array $args): ResponseInterface
    {
        // TODO: implement
        return self::notImplemented($response);
    }

    /**
     * PATCH /bookmarks/{id}
     *
     * @param array{id: string} $args
     */
    public function update(ServerRequestInterface $request, Response $response, array $args): ResponseInterface
    {
        // TODO: implement
        return self::notImplemented($response);
    }

    /** @param array{id: string} $args */
    public function delete(ServerRequestInterface $request, Response $response, array $args): ResponseInterface
    {
        // TODO: implement
        return self::notImplemented($response);
    }

    private static function notImplemented(Response $response): ResponseInterface
    {
        return $response->withJson(['error' => ['code' => 'not_implemented', 'message' => 'Not implemented']], 501);
    }
}
