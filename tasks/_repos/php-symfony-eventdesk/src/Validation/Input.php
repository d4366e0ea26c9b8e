<?php

namespace App\Validation;

/**
 * Field-by-field reader of a decoded JSON object that collects one error message per field.
 * Call `check()` at the end: it throws a ValidationException (422) listing every bad field.
 */
final class Input
{
    /** @var array<string, string> */
    private array $errors = [];

    /** @param array<string, mixed> $data */
    public function __construct(private readonly array $data)
    {
    }

    public function has(string $field): bool
    {
        return \array_key_exists($field, $this->data);
    }

    public function string(string $field, int $min, int $max, bool $required = true): ?string
    {
        $value = $this->data[$field] ?? null;
        if ($value === null) {
            if ($required) {
                $this->error($field, 'is required');
            }
            return null;
        }
        if (!\is_string($value)) {
            $this->error($field, 'must be a string');
            return null;
        }
        $value = trim($value);
        $length = mb_strlen($value);
        if ($length < $min || $length > $max) {
            $this->error($field, sprintf('must be between %d and %d characters', $min, $max));
            return null;
        }

        return $value;
    }

    public function email(string $field): ?string
    {
        $value = $this->string($field, 3, 254);
        if ($value === null) {
            return null;
        }
        if (filter_var($value, \FILTER_VALIDATE_EMAIL) === false) {
            $this->error($field, 'must be a valid email address');
            return null;
        }

        return strtolower($value);
    }

    public function integer(string $field, int $min, int $max, bool $required = true): ?int
    {
        $value = $this->data[$field] ?? null;
        if ($value === null) {
            if ($required) {
                $this->error($field, 'is required');
            }
            return null;
        }
        if (!\is_int($value) || $value < $min || $value > $max) {
            $this->error($field, sprintf('must be an integer between %d and %d', $min, $max));
            return null;
        }

        return $value;
    }

    /**
     * An ISO 8601 date-time with an offset ("2026-05-01T18:00:00Z", "...+02:00"), returned in UTC
     * as "Y-m-d\TH:i:s\Z".
     */
    public function dateTime(string $field, bool $required = true): ?string
    {
        $value = $this->data[$field] ?? null;
        if ($value === null) {
            if ($required) {
                $this->error($field, 'is required');
            }
            return null;
        }
        $normalized = \is_string($value) ? self::normalizeDateTime($value) : null;
        if ($normalized === null) {
            $this->error($field, 'must be an ISO 8601 date-time with a timezone, e.g. 2026-05-01T18:00:00Z');
        }

        return $normalized;
    }

    /**
     * @return list<string>|null lower-cased, de-duplicated and sorted tags
     */
    public function tags(string $field): ?array
    {
        $value = $this->data[$field] ?? null;
        if ($value === null) {
            return null;
        }
        if (!\is_array($value) || !array_is_list($value) || \count($value) > 10) {
            $this->error($field, 'must be an array of at most 10 strings');
            return null;
        }
        $tags = [];
        foreach ($value as $tag) {
            $tag = \is_string($tag) ? strtolower(trim($tag)) : '';
            if (preg_match('/^[a-z0-9][a-z0-9-]{0,29}$/', $tag) !== 1) {
                $this->error($field, 'each tag must be 1-30 characters of a-z, 0-9 and "-"');
                return null;
            }
            $tags[$tag] = true;
        }
        $tags = array_keys($tags);
        sort($tags);

        return $tags;
    }

    public function error(string $field, string $message): void
    {
        $this->errors[$field] ??= $message;
    }

    public function check(): void
    {
        if ($this->errors !== []) {
            throw new ValidationException($this->errors);
        }
    }

    public static function normalizeDateTime(string $value): ?string
    {
        $date = \DateTimeImmutable::createFromFormat('!Y-m-d\TH:i:sP', $value)
            ?: \DateTimeImmutable::createFromFormat('!Y-m-d\TH:i:s.vP', $value);
        $errors = \DateTimeImmutable::getLastErrors();
        if ($date === false || ($errors !== false && ($errors['warning_count'] > 0 || $errors['error_count'] > 0))) {
            return null;
        }

        return $date->setTimezone(new \DateTimeZone('UTC'))->format('Y-m-d\TH:i:s\Z');
    }
}
