<?php

declare(strict_types=1);

namespace Linkshelf;

final class Config
{
    public function __construct(
        public readonly string $databasePath,
        public readonly bool $debug = false,
    ) {
    }

    public static function fromEnvironment(): self
    {
        $path = getenv('LINKSHELF_DB') ?: dirname(__DIR__) . '/var/linkshelf.sqlite';
        $debug = filter_var(getenv('LINKSHELF_DEBUG') ?: '0', FILTER_VALIDATE_BOOLEAN);

        return new self($path, $debug);
    }
}
