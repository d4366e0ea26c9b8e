<?php

declare(strict_types=1);

namespace Linkshelf\Repository;

use Linkshelf\Clock;
use PDO;

final class CollectionRepository
{
    private const SELECT = 'SELECT c.id, c.name, c.description, c.created_at,
            (SELECT COUNT(*) FROM bookmarks b WHERE b.collection_id = c.id) AS bookmark_count
        FROM collections c';

    public function __construct(private readonly PDO $pdo)
    {
    }

    /** @return list<array<string, mixed>> */
    public function all(): array
    {
        $rows = $this->pdo->query(self::SELECT . ' ORDER BY c.name COLLATE NOCASE, c.id')->fetchAll();

        return array_map([self::class, 'hydrate'], $rows);
    }

    /** @return array<string, mixed>|null */
    public function find(int $id): ?array
    {
        $stmt = $this->pdo->prepare(self::SELECT . ' WHERE c.id = :id');
        $stmt->execute(['id' => $id]);
        $row = $stmt->fetch();

        return $row === false ? null : self::hydrate($row);
    }

    public function exists(int $id): bool
    {
        $stmt = $this->pdo->prepare('SELECT 1 FROM collections WHERE id = :id');
        $stmt->execute(['id' => $id]);

        return $stmt->fetchColumn() !== false;
    }

    public function nameTaken(string $name): bool
    {
        $stmt = $this->pdo->prepare('SELECT 1 FROM collections WHERE name = :name COLLATE NOCASE');
        $stmt->execute(['name' => $name]);

        return $stmt->fetchColumn() !== false;
    }

    public function create(string $name, string $description): int
    {
        $stmt = $this->pdo->prepare(
            'INSERT INTO collections (name, description, created_at) VALUES (:name, :description, :created_at)'
        );
        $stmt->execute(['name' => $name, 'description' => $description, 'created_at' => Clock::now()]);

        return (int) $this->pdo->lastInsertId();
    }

    public function delete(int $id): bool
    {
        $stmt = $this->pdo->prepare('DELETE FROM collections WHERE id = :id');
        $stmt->execute(['id' => $id]);

        return $stmt->rowCount() > 0;
    }

    /**
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private static function hydrate(array $row): array
    {
        return [
            'id' => (int) $row['id'],
            'name' => $row['name'],
            'description' => $row['description'],
            'bookmark_count' => (int) $row['bookmark_count'],
            'created_at' => $row['created_at'],
        ];
    }
}
