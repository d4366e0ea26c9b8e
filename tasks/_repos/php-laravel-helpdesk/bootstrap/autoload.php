<?php

/*
 * Laravel 10 is loaded from Debian's php-laravel-framework package (no Composer, no vendor/):
 * its autoloader pulls in every Illuminate component and their dependencies. The application
 * namespace App\ is mapped onto app/ (PSR-4).
 */
require_once '/usr/share/php/Illuminate/autoload.php';

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'App\\')) {
        $file = dirname(__DIR__) . '/app/' . str_replace('\\', '/', substr($class, 4)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
