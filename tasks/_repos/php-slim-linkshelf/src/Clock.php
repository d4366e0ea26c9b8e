<?php

declare(strict_types=1);

namespace Linkshelf;

final class Clock
{
    public static function now(): string
    {
        return (new \DateTimeImmutable('now', new \DateTimeZone('UTC')))->format('Y-m-d\TH:i:s\Z');
    }
}
