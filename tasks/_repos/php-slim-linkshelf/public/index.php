<?php

declare(strict_types=1);

// Front controller, also used as the router script of PHP's built-in server:
//   php -S 0.0.0.0:8000 -t public public/index.php
if (PHP_SAPI === 'cli-server') {
    $path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
    if ($path !== '/' && is_file(__DIR__ . $path)) {
        return false; // let the built-in server serve static files as-is
    }
}

require dirname(__DIR__) . '/src/bootstrap.php';

$app = \Linkshelf\AppFactory::create(\Linkshelf\Config::fromEnvironment());
$app->run();
