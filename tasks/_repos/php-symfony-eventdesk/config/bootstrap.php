<?php

/*
 * Autoloading without Composer: Symfony 6.4 comes from Debian's php-symfony-* packages under
 * /usr/share/php, and the App\ namespace is mapped onto src/ (PSR-4).
 */
require_once '/usr/share/php/Symfony/Bundle/FrameworkBundle/autoload.php';
require_once '/usr/share/php/Symfony/Component/Console/autoload.php';
require_once '/usr/share/php/Symfony/Component/Yaml/autoload.php';
// Symfony's kernel asks Composer\InstalledVersions about installed packages; with no Composer
// the base image ships a stand-in class at this path.
require_once '/usr/share/php/Composer/InstalledVersions.php';

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'App\\')) {
        $file = dirname(__DIR__) . '/src/' . str_replace('\\', '/', substr($class, 4)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

$_SERVER['APP_ENV'] = $_ENV['APP_ENV'] = getenv('APP_ENV') ?: 'prod';
$_SERVER['APP_DEBUG'] = $_ENV['APP_DEBUG'] = getenv('APP_DEBUG') ?: '0';
