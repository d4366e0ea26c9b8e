<?php

declare(strict_types=1);

namespace Linkshelf\Controller;

use PDO;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Slim\Http\Response;

final class HealthController
{
    public function __construct(private readonly PDO $pdo)
    {
    }

    public function __invoke(ServerRequestInterface $request, Response $response): ResponseInterface
    {
        $this->pdo->query('SELECT 1')->fetchColumn();

        return $response->withJson(['status' => 'ok', 'service' => 'linkshelf']);
    }
}
