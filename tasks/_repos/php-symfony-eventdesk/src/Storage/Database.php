<?php

namespace App\Storage;

use PDO;

/**
 * Lazily opened SQLite connection. The schema is created on first use; the statements are
 * idempotent, so every PHP worker may run them safely.
 */
class Database
{
    private const SCHEMA = [
        "CREATE TABLE IF NOT EXISTS events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL DEFAULT '',
            starts_at TEXT NOT NULL,
            capacity INTEGER NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )",
        'CREATE INDEX IF NOT EXISTS idx_events_starts_at ON events(starts_at)',
        "CREATE TABLE IF NOT EXISTS registrations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
            checked_in_at TEXT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )",
        'CREATE INDEX IF NOT EXISTS idx_registrations_event ON registrations(event_id, status)',
    ];

    private ?PDO $pdo = null;

    public function __construct(private readonly string $path)
    {
    }

    public function pdo(): PDO
    {
        if ($this->pdo === null) {
            $dir = \dirname($this->path);
            if (!is_dir($dir)) {
                mkdir($dir, 0775, true);
            }
            $pdo = new PDO('sqlite:' . $this->path, null, null, [
                PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
                PDO::ATTR_DEFAULT_FETCH_MODE => PDO::FETCH_ASSOC,
            ]);
            $pdo->exec('PRAGMA busy_timeout = 5000');
            $pdo->exec('PRAGMA foreign_keys = ON');
            foreach (self::SCHEMA as $statement) {
                $pdo->exec($statement);
            }
            $this->pdo = $pdo;
        }

        return $this->pdo;
    }

    /**
     * Runs $work inside an IMMEDIATE transaction (takes the write lock up front so that seat
     * counting and the insert that depends on it cannot interleave with another worker).
     *
     * @template T
     * @param callable(PDO): T $work
     * @return T
     */
    public function transactional(callable $work): mixed
    {
        $pdo = $this->pdo();
        $pdo->exec('BEGIN IMMEDIATE');
        try {
            $result = $work($pdo);
            $pdo->exec('COMMIT');

            return $result;
        } catch (\Throwable $e) {
            $pdo->exec('ROLLBACK');
            throw $e;
        }
    }

    public static function now(): string
    {
        return (new \DateTimeImmutable('now', new \DateTimeZone('UTC')))->format('Y-m-d\TH:i:s\Z');
    }
}
