<?php

namespace App\Console;

use Illuminate\Foundation\Console\Kernel as ConsoleKernel;

class Kernel extends ConsoleKernel
{
    /**
     * Only the framework's commands (migrate, route:list, ...) are used.
     */
    protected function commands(): void
    {
    }
}
