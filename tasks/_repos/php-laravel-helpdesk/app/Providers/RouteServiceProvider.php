<?php

namespace App\Providers;

use Illuminate\Support\Facades\Route;
use Illuminate\Support\ServiceProvider;

class RouteServiceProvider extends ServiceProvider
{
    public function boot(): void
    {
        Route::pattern('ticket', '[0-9]+');
        Route::pattern('agent', '[0-9]+');

        Route::middleware('api')->group(base_path('routes/api.php'));
    }
}
