<?php

namespace App\Repository;

use App\Storage\Database;

class RegistrationRepository
{
    public const STATUSES = ['confirmed', 'waitlisted', 'cancelled'];

    public function __construct(private readonly Database $db)
    {
    }

    /** @return array<string, mixed>|null */
    public function find(int $id): ?array
    {
        $stmt = $this->db->pdo()->prepare('SELECT * FROM registrations WHERE id = :id');
        $stmt->execute(['id' => $id]);
        $row = $stmt->fetch();

        return $row === false ? null : $this->hydrate($row);
    }

    /** @return list<array<string, mixed>> ordered by id */
    public function forEvent(int $eventId, ?string $status = null): array
    {
        $sql = 'SELECT * FROM registrations WHERE event_id = :event_id';
        $params = ['event_id' => $eventId];
        if ($status !== null) {
            $sql .= ' AND status = :status';
            $params['status'] = $status;
        }
        $stmt = $this->db->pdo()->prepare($sql . ' ORDER BY id');
        $stmt->execute($params);

        return array_map($this->hydrate(...), $stmt->fetchAll());
    }

    /** Whether `email` already holds a confirmed or waitlisted place for the event. */
    public function hasActive(int $eventId, string $email): bool
    {
        $stmt = $this->db->pdo()->prepare(
            "SELECT 1 FROM registrations WHERE event_id = :e AND email = :email AND status != 'cancelled'"
        );
        $stmt->execute(['e' => $eventId, 'email' => $email]);

        return $stmt->fetchColumn() !== false;
    }

    /** @return array{confirmed: int, waitlisted: int, cancelled: int} */
    public function countByStatus(int $eventId): array
    {
        $counts = array_fill_keys(self::STATUSES, 0);
        $stmt = $this->db->pdo()->prepare(
            'SELECT status, COUNT(*) AS n FROM registrations WHERE event_id = :e GROUP BY status'
        );
        $stmt->execute(['e' => $eventId]);
        foreach ($stmt->fetchAll() as $row) {
            $counts[$row['status']] = (int) $row['n'];
        }

        return $counts;
    }

    /** The oldest waitlisted registrations of the event, at most `$limit`. */
    public function oldestWaitlisted(int $eventId, int $limit): array
    {
        if ($limit <= 0) {
            return [];
        }
        $stmt = $this->db->pdo()->prepare(
            "SELECT * FROM registrations WHERE event_id = :e AND status = 'waitlisted' ORDER BY id LIMIT :limit"
        );
        $stmt->bindValue('e', $eventId, \PDO::PARAM_INT);
        $stmt->bindValue('limit', $limit, \PDO::PARAM_INT);
        $stmt->execute();

        return array_map($this->hydrate(...), $stmt->fetchAll());
    }

    /**
     * 1-based place in the event's waitlist (by id), or null when not waitlisted.
     *
     * @param array<string, mixed> $registration
     */
    public function waitlistPosition(array $registration): ?int
    {
        if ($registration['status'] !== 'waitlisted') {
            return null;
        }
        $stmt = $this->db->pdo()->prepare(
            "SELECT COUNT(*) FROM registrations WHERE event_id = :e AND status = 'waitlisted' AND id <= :id"
        );
        $stmt->execute(['e' => $registration['event_id'], 'id' => $registration['id']]);

        return (int) $stmt->fetchColumn();
    }

    public function insert(int $eventId, string $name, string $email, string $status): int
    {
        $now = Database::now();
        $this->db->pdo()->prepare(
            'INSERT INTO registrations (event_id, name, email, status, created_at, updated_at)
             VALUES (:e, :name, :email, :status, :now, :now)'
        )->execute(['e' => $eventId, 'name' => $name, 'email' => $email, 'status' => $status, 'now' => $now]);

        return (int) $this->db->pdo()->lastInsertId();
    }

    public function setStatus(int $id, string $status): void
    {
        $this->db->pdo()->prepare('UPDATE registrations SET status = :s, updated_at = :now WHERE id = :id')
            ->execute(['s' => $status, 'now' => Database::now(), 'id' => $id]);
    }

    public function markCheckedIn(int $id): void
    {
        $now = Database::now();
        $this->db->pdo()->prepare('UPDATE registrations SET checked_in_at = :now, updated_at = :now WHERE id = :id')
            ->execute(['now' => $now, 'id' => $id]);
    }

    /**
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private function hydrate(array $row): array
    {
        return [
            'id' => (int) $row['id'],
            'event_id' => (int) $row['event_id'],
            'name' => $row['name'],
            'email' => $row['email'],
            'status' => $row['status'],
            'checked_in_at' => $row['checked_in_at'],
            'created_at' => $row['created_at'],
            'updated_at' => $row['updated_at'],
        ];
    }
}
