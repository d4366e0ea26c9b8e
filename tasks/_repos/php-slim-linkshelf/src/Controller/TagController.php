<?php

declare(strict_types=1);

namespace Linkshelf\Controller;

use Linkshelf\Http\ApiException;
use Linkshelf\Repository\BookmarkRepository;
use Linkshelf\Repository\CollectionRepository;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Slim\Http\Response;

final class TagController
{
    public function __construct(
        private readonly BookmarkRepository $bookmarks,
        private readonly CollectionRepository $collections,
    ) {
    }

    public function list(ServerRequestInterface $request, Response $response): ResponseInterface
    {
        $collectionId = null;
        $raw = $request->getQueryParams()['collection_id'] ?? null;
        if ($raw !== null) {
            if (!is_string($raw) || !ctype_digit($raw) || (int) $raw < 1) {
                throw ApiException::badRequest('collection_id must be a positive integer');
            }
            $collectionId = (int) $raw;
            if (!$this->collections->exists($collectionId)) {
                throw ApiException::notFound('Collection', $collectionId);
            }
        }

        return $response->withJson(['items' => $this->bookmarks->tagCounts($collectionId)]);
    }
}
