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
        $query = $request->getQueryParams();
        $filters = [];

        if (isset($query['collection_id'])) {
            $raw = $query['collection_id'];
            if (!is_string($raw) || !ctype_digit($raw) || (int) $raw < 1) {
                throw ApiException::badRequest('collection_id must be a positive integer');
            }
            $filters['collection_id'] = (int) $raw;
        }
        if (isset($query['tag'])) {
            $tag = is_string($query['tag']) ? Validator::normalizeTag($query['tag']) : null;
            if ($tag === null) {
                throw ApiException::badRequest('tag must be 1-30 characters of a-z, 0-9 or "-"');
            }
            $filters['tag'] = $tag;
        }
        if (isset($query['q']) && is_string($query['q']) && trim($query['q']) !== '') {
            $filters['q'] = trim($query['q']);
        }
        if (isset($query['read'])) {
            $filters['read'] = match ($query['read']) {
                'true' => true,
                'false' => false,
                default => throw ApiException::badRequest('read must be "true" or "false"'),
            };
        }

        $items = $this->bookmarks->search($filters);

        return $response->withJson(['items' => $items, 'count' => count($items)]);
    }

    /**
     * POST /collections/{id}/bookmarks
     *
     * @param array{id: string} $args
     */
    public function create(ServerRequestInterface $request, Response $response, array $args): ResponseInterface
    {
        $collectionId = (int) $args['id'];
        if (!$this->collections->exists($collectionId)) {
            throw ApiException::notFound('Collection', $args['id']);
        }

        $validator = new Validator(JsonInput::object($request));
        $url = $validator->url('url', true);
        $title = $validator->requiredString('title', 200);
        $notes = $validator->optionalString('notes', 2000) ?? '';
        $tags = $validator->tags('tags') ?? [];
        $validator->validate();

        if ($this->bookmarks->urlExists($collectionId, $url)) {
            throw ApiException::conflict('This URL is already bookmarked in the collection');
        }
        $id = $this->bookmarks->create($collectionId, $url, $title, $notes, $tags);

        return $response
            ->withHeader('Location', '/bookmarks/' . $id)
            ->withJson($this->bookmarks->find($id), 201);
    }

    /** @param array{id: string} $args */
    public function show(ServerRequestInterface $request, Response $response, array $args): ResponseInterface
    {
        return $response->withJson($this->findOrFail($args['id']));
    }

    /**
     * PATCH /bookmarks/{id}: partial update of url, title, notes, read and tags (replaces the set).
     *
     * @param array{id: string} $args
     */
    public function update(ServerRequestInterface $request, Response $response, array $args): ResponseInterface
    {
        $bookmark = $this->findOrFail($args['id']);

        $input = JsonInput::object($request);
        $validator = new Validator($input);
        $changes = [];
        if ($validator->has('url')) {
            $changes['url'] = $validator->url('url', true);
        }
        if ($validator->has('title')) {
            $changes['title'] = $validator->requiredString('title', 200);
        }
        if ($validator->has('notes')) {
            $changes['notes'] = $validator->optionalString('notes', 2000) ?? '';
        }
        if ($validator->has('read')) {
            $read = $validator->optionalBool('read');
            if ($read === null) {
                $validator->fail('read', 'must be a boolean');
            }
            $changes['is_read'] = $read;
        }
        $tags = null;
        if ($validator->has('tags')) {
            $tags = $validator->tags('tags') ?? [];
        }
        $validator->validate();

        if (isset($changes['url']) && $this->bookmarks->urlExists($bookmark['collection_id'], $changes['url'], $bookmark['id'])) {
            throw ApiException::conflict('This URL is already bookmarked in the collection');
        }
        $this->bookmarks->update($bookmark['id'], $changes, $tags);

        return $response->withJson($this->bookmarks->find($bookmark['id']));
    }

    /** @param array{id: string} $args */
    public function delete(ServerRequestInterface $request, Response $response, array $args): ResponseInterface
    {
        if (!$this->bookmarks->delete((int) $args['id'])) {
            throw ApiException::notFound('Bookmark', $args['id']);
        }

        return $response->withStatus(204);
    }

    /** @return array<string, mixed> */
    private function findOrFail(string $id): array
    {
        $bookmark = $this->bookmarks->find((int) $id);
        if ($bookmark === null) {
            throw ApiException::notFound('Bookmark', $id);
        }

        return $bookmark;
    }
}
