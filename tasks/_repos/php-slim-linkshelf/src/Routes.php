<?php

declare(strict_types=1);

namespace Linkshelf;

use Linkshelf\Controller\BookmarkController;
use Linkshelf\Controller\CollectionController;
use Linkshelf\Controller\HealthController;
use Linkshelf\Controller\TagController;
use Slim\App;

final class Routes
{
    public static function register(App $app): void
    {
        $app->get('/health', HealthController::class);

        $app->get('/collections', CollectionController::class . ':list');
        $app->post('/collections', CollectionController::class . ':create');
        $app->get('/collections/{id:[0-9]+}', CollectionController::class . ':show');
        $app->delete('/collections/{id:[0-9]+}', CollectionController::class . ':delete');
        $app->post('/collections/{id:[0-9]+}/bookmarks', BookmarkController::class . ':create');

        $app->get('/bookmarks', BookmarkController::class . ':list');
        $app->get('/bookmarks/{id:[0-9]+}', BookmarkController::class . ':show');
        $app->patch('/bookmarks/{id:[0-9]+}', BookmarkController::class . ':update');
        $app->delete('/bookmarks/{id:[0-9]+}', BookmarkController::class . ':delete');

        $app->get('/tags', TagController::class . ':list');
    }
}
