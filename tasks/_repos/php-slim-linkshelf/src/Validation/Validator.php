<?php

declare(strict_types=1);

namespace Linkshelf\Validation;

/**
 * Small rule-based validator. Each check records at most one message per field; call
 * `validate()` to throw a ValidationException (422) when anything failed.
 *
 * @phpstan-type Input array<string, mixed>
 */
final class Validator
{
    /** @var array<string, string> */
    private array $errors = [];

    /** @param array<string, mixed> $input */
    public function __construct(private readonly array $input)
    {
    }

    public function has(string $field): bool
    {
        return array_key_exists($field, $this->input);
    }

    public function requiredString(string $field, int $max): ?string
    {
        if (!$this->has($field) || $this->input[$field] === null) {
            $this->fail($field, 'is required');
            return null;
        }

        return $this->string($field, $max, true);
    }

    public function optionalString(string $field, int $max): ?string
    {
        if (!$this->has($field) || $this->input[$field] === null) {
            return null;
        }

        return $this->string($field, $max, false);
    }

    public function url(string $field, bool $required): ?string
    {
        $value = $required ? $this->requiredString($field, 2048) : $this->optionalString($field, 2048);
        if ($value === null) {
            return null;
        }
        $scheme = strtolower((string) parse_url($value, PHP_URL_SCHEME));
        if (filter_var($value, FILTER_VALIDATE_URL) === false || !in_array($scheme, ['http', 'https'], true)) {
            $this->fail($field, 'must be an absolute http or https URL');
            return null;
        }

        return $value;
    }

    public function optionalBool(string $field): ?bool
    {
        if (!$this->has($field) || $this->input[$field] === null) {
            return null;
        }
        if (!is_bool($this->input[$field])) {
            $this->fail($field, 'must be a boolean');
            return null;
        }

        return $this->input[$field];
    }

    public function requiredInt(string $field, int $min = 1): ?int
    {
        $value = $this->input[$field] ?? null;
        if ($value === null) {
            $this->fail($field, 'is required');
            return null;
        }
        if (!is_int($value) || $value < $min) {
            $this->fail($field, sprintf('must be an integer >= %d', $min));
            return null;
        }

        return $value;
    }

    /**
     * Tags: list of strings, each 1..30 chars of [a-z0-9-] after lower-casing/trimming.
     * Returned de-duplicated and sorted.
     *
     * @return list<string>|null
     */
    public function tags(string $field): ?array
    {
        if (!$this->has($field) || $this->input[$field] === null) {
            return null;
        }
        $value = $this->input[$field];
        if (!is_array($value) || !array_is_list($value)) {
            $this->fail($field, 'must be an array of strings');
            return null;
        }
        if (count($value) > 20) {
            $this->fail($field, 'must contain at most 20 tags');
            return null;
        }
        $tags = [];
        foreach ($value as $tag) {
            $normalized = is_string($tag) ? self::normalizeTag($tag) : null;
            if ($normalized === null) {
                $this->fail($field, 'each tag must be 1-30 characters of a-z, 0-9 or "-"');
                return null;
            }
            $tags[$normalized] = true;
        }
        $tags = array_keys($tags);
        sort($tags);

        return $tags;
    }

    public static function normalizeTag(string $tag): ?string
    {
        $tag = strtolower(trim($tag));

        return preg_match('/^[a-z0-9-]{1,30}$/', $tag) === 1 ? $tag : null;
    }

    public function fail(string $field, string $message): void
    {
        $this->errors[$field] ??= $message;
    }

    /** @throws ValidationException */
    public function validate(): void
    {
        if ($this->errors !== []) {
            throw new ValidationException($this->errors);
        }
    }

    private function string(string $field, int $max, bool $nonEmpty): ?string
    {
        $value = $this->input[$field];
        if (!is_string($value)) {
            $this->fail($field, 'must be a string');
            return null;
        }
        $value = trim($value);
        if ($nonEmpty && $value === '') {
            $this->fail($field, 'must not be empty');
            return null;
        }
        if (mb_strlen($value) > $max) {
            $this->fail($field, sprintf('must be at most %d characters', $max));
            return null;
        }

        return $value;
    }
}
