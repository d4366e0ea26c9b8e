<?php

declare(strict_types=1);

namespace Linkshelf\Controller;

use Linkshelf\Http\ApiException;
use Linkshelf\Http\JsonInput;
use Linkshelf\Repository\CollectionRepository;
use Linkshelf\Validation\Validator;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Slim\Http\Response;

final class CollectionController
{
    public function __construct(private readonly CollectionRepository $collections)
    {
    }

    public function list(ServerRequestInterface $request, Response $response): ResponseInterface
    {
        $items = $this->collections->all();

        return $response->withJson(['items' => $items, 'count' => count($items)]);
    }

    public function create(ServerRequestInterface $request, Response $response): ResponseInterface
    {
        $validator = new Validator(JsonInput::object($request));
        $name = $validator->requiredString('name', 80);
        $description = $validator->optionalString('description', 500) ?? '';
        $validator->validate();

        if ($this->collections->nameTaken($name)) {
            throw ApiException::conflict(sprintf('A collection named "%s" already exists', $name));
        }
        $id = $this->collections->create($name, $description);

        return $response
            ->withHeader('Location', '/collections/' . $id)
            ->withJson($this->collections->find($id), 201);
    }

    /** @param array{id: string} $args */
    public function show(ServerRequestInterface $request, Response $response, array $args): ResponseInterface
    {
        $collection = $this->collections->find((int) $args['id']);
        if ($collection === null) {
            throw ApiException::notFound('Collection', $args['id']);
        }

        return $response->withJson($collection);
    }

    /** @param array{id: string} $args */
    public function delete(ServerRequestInterface $request, Response $response, array $args): ResponseInterface
    {
        if (!$this->collections->delete((int) $args['id'])) {
            throw ApiException::notFound('Collection', $args['id']);
        }

        return $response->withStatus(204);
    }
}
