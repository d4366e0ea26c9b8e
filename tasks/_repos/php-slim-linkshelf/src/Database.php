<?php

declare(strict_types=1);

namespace Linkshelf;

use PDO;

/**
 * Opens the SQLite database and makes sure the schema exists. The built-in server boots the
 * application once per request, so the schema statements are idempotent and cheap.
 */
final class Database
{
    private const SCHEMA = [
        'CREATE TABLE IF NOT EXISTS collections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT \'\',
            created_at TEXT NOT NULL
        )',
        'CREATE TABLE IF NOT EXISTS bookmarks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            title TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT \'\',
            is_read INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (collection_id, url)
        )',
        'CREATE TABLE IF NOT EXISTS bookmark_tags (
            bookmark_id INTEGER NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (bookmark_id, tag)
        )',
        'CREATE INDEX IF NOT EXISTS idx_bookmark_tags_tag ON bookmark_tags(tag)',
    ];

    public static function connect(string $path): PDO
    {
        $dir = dirname($path);
        if (!is_dir($dir)) {
            mkdir($dir, 0775, true);
        }

        $pdo = new PDO('sqlite:' . $path, null, null, [
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
            PDO::ATTR_DEFAULT_FETCH_MODE => PDO::FETCH_ASSOC,
        ]);
        $pdo->exec('PRAGMA foreign_keys = ON');
        $pdo->exec('PRAGMA busy_timeout = 5000');
        foreach (self::SCHEMA as $statement) {
            $pdo->exec($statement);
        }

        return $pdo;
    }
}
