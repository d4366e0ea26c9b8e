<?php

declare(strict_types=1);

// Slim 3 and its dependencies (FastRoute, Pimple, PSR-7 interfaces) come from Debian's php-slim.
require_once '/usr/share/php/Slim/autoload.php';

// PSR-4 autoloading for the application namespace (no Composer available offline).
spl_autoload_register(static function (string $class): void {
    $prefix = 'Linkshelf\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $relative = str_replace('\\', '/', substr($class, strlen($prefix)));
    $file = __DIR__ . '/' . $relative . '.php';
    if (is_file($file)) {
        require $file;
    }
});
