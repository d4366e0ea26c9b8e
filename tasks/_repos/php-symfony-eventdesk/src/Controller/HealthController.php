<?php

namespace App\Controller;

use App\Storage\Database;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\Routing\Attribute\Route;

class HealthController
{
    #[Route('/health', name: 'health', methods: ['GET'])]
    public function __invoke(Database $db): JsonResponse
    {
        $db->pdo()->query('SELECT 1')->fetchColumn();

        return new JsonResponse(['status' => 'ok', 'service' => 'eventdesk']);
    }
}
