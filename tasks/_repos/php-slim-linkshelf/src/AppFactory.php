<?php

declare(strict_types=1);

namespace Linkshelf;

use Linkshelf\Controller\BookmarkController;
use Linkshelf\Controller\CollectionController;
use Linkshelf\Controller\HealthController;
use Linkshelf\Controller\TagController;
use Linkshelf\Http\ErrorHandlers;
use Linkshelf\Repository\BookmarkRepository;
use Linkshelf\Repository\CollectionRepository;
use Slim\App;
use Slim\Container;

final class AppFactory
{
    public static function create(Config $config): App
    {
        $container = new Container([
            'settings' => [
                'displayErrorDetails' => $config->debug,
                'addContentLengthHeader' => false,
            ],
        ]);
        self::registerServices($container, $config);
        ErrorHandlers::register($container, $config->debug);

        $app = new App($container);
        Routes::register($app);

        return $app;
    }

    private static function registerServices(Container $c, Config $config): void
    {
        $c['db'] = static fn () => Database::connect($config->databasePath);
        $c[CollectionRepository::class] = static fn (Container $c) => new CollectionRepository($c['db']);
        $c[BookmarkRepository::class] = static fn (Container $c) => new BookmarkRepository($c['db']);

        $c[HealthController::class] = static fn (Container $c) => new HealthController($c['db']);
        $c[CollectionController::class] = static fn (Container $c) => new CollectionController(
            $c[CollectionRepository::class],
        );
        $c[BookmarkController::class] = static fn (Container $c) => new BookmarkController(
            $c[BookmarkRepository::class],
            $c[CollectionRepository::class],
        );
        $c[TagController::class] = static fn (Container $c) => new TagController(
            $c[BookmarkRepository::class],
            $c[CollectionRepository::class],
        );
    }
}
