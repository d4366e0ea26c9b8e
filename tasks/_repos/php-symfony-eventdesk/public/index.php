<?php

use App\Kernel;
use Symfony\Component\HttpFoundation\Request;

// Router script for `php -S`: let the built-in server serve real files (there are none today).
if (PHP_SAPI === 'cli-server' && is_file(__DIR__ . parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH))
    && parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) !== '/index.php') {
    return false;
}

require dirname(__DIR__) . '/config/bootstrap.php';

$kernel = new Kernel($_SERVER['APP_ENV'], (bool) $_SERVER['APP_DEBUG']);
$request = Request::createFromGlobals();
$response = $kernel->handle($request);
$response->send();
$kernel->terminate($request, $response);
