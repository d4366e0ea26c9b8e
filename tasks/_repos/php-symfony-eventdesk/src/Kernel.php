<?php

namespace App;

use App\Storage\Database;
use Symfony\Bundle\FrameworkBundle\FrameworkBundle;
use Symfony\Bundle\FrameworkBundle\Kernel\MicroKernelTrait;
use Symfony\Component\DependencyInjection\Loader\Configurator\ContainerConfigurator;
use Symfony\Component\HttpKernel\Kernel as BaseKernel;
use Symfony\Component\Routing\Loader\Configurator\RoutingConfigurator;

class Kernel extends BaseKernel
{
    use MicroKernelTrait;

    public function registerBundles(): iterable
    {
        return [new FrameworkBundle()];
    }

    public function getProjectDir(): string
    {
        return \dirname(__DIR__);
    }

    protected function configureContainer(ContainerConfigurator $container): void
    {
        $container->parameters()
            ->set('env(DATABASE_PATH)', '%kernel.project_dir%/var/eventdesk.sqlite');

        $container->extension('framework', [
            'secret' => '%env(default:app.default_secret:APP_SECRET)%',
            'http_method_override' => false,
            'handle_all_throwables' => true,
            'php_errors' => ['log' => true],
            'router' => ['utf8' => true],
        ]);
        $container->parameters()->set('app.default_secret', 'eventdesk-not-secret');

        $services = $container->services()
            ->defaults()
                ->autowire()
                ->autoconfigure();

        $services->load('App\\', __DIR__ . '/')
            ->exclude([__DIR__ . '/Kernel.php', __DIR__ . '/Http/ApiException.php', __DIR__ . '/Validation/ValidationException.php']);

        // Controllers are plain classes: tag them so actions can receive services as arguments.
        $services->load('App\\Controller\\', __DIR__ . '/Controller/')
            ->tag('controller.service_arguments');

        $services->set(Database::class)
            ->arg('$path', '%env(resolve:DATABASE_PATH)%');
    }

    protected function configureRoutes(RoutingConfigurator $routes): void
    {
        $routes->import(__DIR__ . '/Controller/', 'attribute');
    }
}
