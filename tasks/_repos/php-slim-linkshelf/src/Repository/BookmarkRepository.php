<?php

declare(strict_types=1);

namespace Linkshelf\Repository;

use Linkshelf\Clock;
use PDO;

final class BookmarkRepository
{
    /** Columns that `update()` may change. */
    private const MUTABLE = ['url', 'title', 'notes', 'is_read'];

    public function __construct(private readonly PDO $pdo)
    {
    }

    /** @return array<string, mixed>|null */
    public function find(int $id): ?array
    {
        $stmt = $this->pdo->prepare('SELECT * FROM bookmarks WHERE id = :id');
        $stmt->execute(['id' => $id]);
        $row = $stmt->fetch();
        if ($row === false) {
            return null;
        }

        return $this->hydrate([$row])[0];
    }

    /**
     * @param array{collection_id?: int, tag?: string, q?: string, read?: bool} $filters
     * @return list<array<string, mixed>>
     */
    public function search(array $filters): array
    {
        $where = [];
        $params = [];
        if (isset($filters['collection_id'])) {
            $where[] = 'b.collection_id = :collection_id';
            $params['collection_id'] = $filters['collection_id'];
        }
        if (isset($filters['tag'])) {
            $where[] = 'EXISTS (SELECT 1 FROM bookmark_tags t WHERE t.bookmark_id = b.id AND t.tag = :tag)';
            $params['tag'] = $filters['tag'];
        }
        if (isset($filters['q'])) {
            $where[] = "(b.title LIKE :q ESCAPE '\\' OR b.url LIKE :q ESCAPE '\\' OR b.notes LIKE :q ESCAPE '\\')";
            $params['q'] = '%' . addcslashes($filters['q'], '%_\\') . '%';
        }
        if (isset($filters['read'])) {
            $where[] = 'b.is_read = :read';
            $params['read'] = $filters['read'] ? 1 : 0;
        }
        $sql = 'SELECT b.* FROM bookmarks b'
            . ($where === [] ? '' : ' WHERE ' . implode(' AND ', $where))
            . ' ORDER BY b.id';
        $stmt = $this->pdo->prepare($sql);
        $stmt->execute($params);

        return $this->hydrate($stmt->fetchAll());
    }

    public function urlExists(int $collectionId, string $url, ?int $exceptId = null): bool
    {
        $stmt = $this->pdo->prepare(
            'SELECT 1 FROM bookmarks WHERE collection_id = :cid AND url = :url AND id != :except'
        );
        $stmt->execute(['cid' => $collectionId, 'url' => $url, 'except' => $exceptId ?? 0]);

        return $stmt->fetchColumn() !== false;
    }

    /** @param list<string> $tags */
    public function create(int $collectionId, string $url, string $title, string $notes, array $tags): int
    {
        $this->pdo->beginTransaction();
        try {
            $now = Clock::now();
            $stmt = $this->pdo->prepare(
                'INSERT INTO bookmarks (collection_id, url, title, notes, is_read, created_at, updated_at)
                 VALUES (:cid, :url, :title, :notes, 0, :now, :now)'
            );
            $stmt->execute(['cid' => $collectionId, 'url' => $url, 'title' => $title, 'notes' => $notes, 'now' => $now]);
            $id = (int) $this->pdo->lastInsertId();
            $this->replaceTags($id, $tags);
            $this->pdo->commit();
        } catch (\Throwable $e) {
            $this->pdo->rollBack();
            throw $e;
        }

        return $id;
    }

    /**
     * @param array<string, mixed> $changes column => value, for columns in MUTABLE
     * @param list<string>|null $tags replaces the tag set when not null
     */
    public function update(int $id, array $changes, ?array $tags): void
    {
        $changes = array_intersect_key($changes, array_flip(self::MUTABLE));
        $this->pdo->beginTransaction();
        try {
            $sets = ['updated_at = :updated_at'];
            $params = ['id' => $id, 'updated_at' => Clock::now()];
            foreach ($changes as $column => $value) {
                $sets[] = sprintf('%s = :%s', $column, $column);
                $params[$column] = is_bool($value) ? (int) $value : $value;
            }
            $stmt = $this->pdo->prepare('UPDATE bookmarks SET ' . implode(', ', $sets) . ' WHERE id = :id');
            $stmt->execute($params);
            if ($tags !== null) {
                $this->replaceTags($id, $tags);
            }
            $this->pdo->commit();
        } catch (\Throwable $e) {
            $this->pdo->rollBack();
            throw $e;
        }
    }

    public function delete(int $id): bool
    {
        $stmt = $this->pdo->prepare('DELETE FROM bookmarks WHERE id = :id');
        $stmt->execute(['id' => $id]);

        return $stmt->rowCount() > 0;
    }

    /**
     * Tag usage counts, most used first (ties by name).
     *
     * @return list<array{tag: string, count: int}>
     */
    public function tagCounts(?int $collectionId): array
    {
        $sql = 'SELECT t.tag, COUNT(*) AS count FROM bookmark_tags t JOIN bookmarks b ON b.id = t.bookmark_id';
        $params = [];
        if ($collectionId !== null) {
            $sql .= ' WHERE b.collection_id = :cid';
            $params['cid'] = $collectionId;
        }
        $sql .= ' GROUP BY t.tag ORDER BY count DESC, t.tag ASC';
        $stmt = $this->pdo->prepare($sql);
        $stmt->execute($params);

        return array_map(
            static fn (array $row): array => ['tag' => $row['tag'], 'count' => (int) $row['count']],
            $stmt->fetchAll(),
        );
    }

    /** @param list<string> $tags */
    private function replaceTags(int $bookmarkId, array $tags): void
    {
        $this->pdo->prepare('DELETE FROM bookmark_tags WHERE bookmark_id = :id')->execute(['id' => $bookmarkId]);
        $insert = $this->pdo->prepare('INSERT INTO bookmark_tags (bookmark_id, tag) VALUES (:id, :tag)');
        foreach ($tags as $tag) {
            $insert->execute(['id' => $bookmarkId, 'tag' => $tag]);
        }
    }

    /**
     * @param list<array<string, mixed>> $rows
     * @return list<array<string, mixed>>
     */
    private function hydrate(array $rows): array
    {
        if ($rows === []) {
            return [];
        }
        $ids = array_map(static fn (array $row): int => (int) $row['id'], $rows);
        $placeholders = implode(',', array_fill(0, count($ids), '?'));
        $stmt = $this->pdo->prepare(
            "SELECT bookmark_id, tag FROM bookmark_tags WHERE bookmark_id IN ($placeholders) ORDER BY tag"
        );
        $stmt->execute($ids);
        $tags = [];
        foreach ($stmt->fetchAll() as $row) {
            $tags[(int) $row['bookmark_id']][] = $row['tag'];
        }

        return array_map(static fn (array $row): array => [
            'id' => (int) $row['id'],
            'collection_id' => (int) $row['collection_id'],
            'url' => $row['url'],
            'title' => $row['title'],
            'notes' => $row['notes'],
            'read' => (bool) $row['is_read'],
            'tags' => $tags[(int) $row['id']] ?? [],
            'created_at' => $row['created_at'],
            'updated_at' => $row['updated_at'],
        ], $rows);
    }
}
