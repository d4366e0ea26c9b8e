<?php

namespace App\Repository;

use App\Storage\Database;

class EventRepository
{
    private const UPDATABLE = ['title', 'description', 'location', 'starts_at', 'capacity', 'tags'];

    public function __construct(private readonly Database $db)
    {
    }

    /** @return array<string, mixed>|null */
    public function find(int $id): ?array
    {
        $stmt = $this->db->pdo()->prepare('SELECT * FROM events WHERE id = :id');
        $stmt->execute(['id' => $id]);
        $row = $stmt->fetch();

        return $row === false ? null : $this->hydrate($row);
    }

    /**
     * @param array{from?: string, to?: string, tag?: string, q?: string} $filters
     * @return list<array<string, mixed>> ordered by starts_at, then id
     */
    public function search(array $filters): array
    {
        $where = [];
        $params = [];
        if (isset($filters['from'])) {
            $where[] = 'starts_at >= :from';
            $params['from'] = $filters['from'];
        }
        if (isset($filters['to'])) {
            $where[] = 'starts_at <= :to';
            $params['to'] = $filters['to'];
        }
        if (isset($filters['tag'])) {
            $where[] = 'EXISTS (SELECT 1 FROM json_each(events.tags) WHERE json_each.value = :tag)';
            $params['tag'] = $filters['tag'];
        }
        if (isset($filters['q'])) {
            $where[] = "(title LIKE :q ESCAPE '\\' OR description LIKE :q ESCAPE '\\' OR location LIKE :q ESCAPE '\\')";
            $params['q'] = '%' . addcslashes($filters['q'], '%_\\') . '%';
        }
        $sql = 'SELECT * FROM events'
            . ($where ? ' WHERE ' . implode(' AND ', $where) : '')
            . ' ORDER BY starts_at, id';
        $stmt = $this->db->pdo()->prepare($sql);
        $stmt->execute($params);

        return array_map($this->hydrate(...), $stmt->fetchAll());
    }

    /**
     * @param array{title: string, description: string, location: string, starts_at: string, capacity: int, tags: list<string>} $data
     */
    public function insert(array $data): int
    {
        $now = Database::now();
        $stmt = $this->db->pdo()->prepare(
            'INSERT INTO events (title, description, location, starts_at, capacity, tags, created_at, updated_at)
             VALUES (:title, :description, :location, :starts_at, :capacity, :tags, :now, :now)'
        );
        $stmt->execute([
            'title' => $data['title'],
            'description' => $data['description'],
            'location' => $data['location'],
            'starts_at' => $data['starts_at'],
            'capacity' => $data['capacity'],
            'tags' => json_encode($data['tags']),
            'now' => $now,
        ]);

        return (int) $this->db->pdo()->lastInsertId();
    }

    /** @param array<string, mixed> $changes */
    public function update(int $id, array $changes): void
    {
        $changes = array_intersect_key($changes, array_flip(self::UPDATABLE));
        $sets = ['updated_at = :updated_at'];
        $params = ['id' => $id, 'updated_at' => Database::now()];
        foreach ($changes as $column => $value) {
            $sets[] = "$column = :$column";
            $params[$column] = $column === 'tags' ? json_encode($value) : $value;
        }
        $this->db->pdo()
            ->prepare('UPDATE events SET ' . implode(', ', $sets) . ' WHERE id = :id')
            ->execute($params);
    }

    public function delete(int $id): bool
    {
        $stmt = $this->db->pdo()->prepare('DELETE FROM events WHERE id = :id');
        $stmt->execute(['id' => $id]);

        return $stmt->rowCount() > 0;
    }

    /**
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private function hydrate(array $row): array
    {
        return [
            'id' => (int) $row['id'],
            'title' => $row['title'],
            'description' => $row['description'],
            'location' => $row['location'],
            'starts_at' => $row['starts_at'],
            'capacity' => (int) $row['capacity'],
            'tags' => json_decode($row['tags'], true) ?: [],
            'created_at' => $row['created_at'],
            'updated_at' => $row['updated_at'],
        ];
    }
}
