package com.meetups.service;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/** Field checks shared by the services; each failure is a 400. */
public final class Validation {
    public static final DateTimeFormatter STARTS_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm").withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern STARTS_AT_SHAPE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private Validation() {
    }

    /** Trimmed, non-blank, at most maxLength characters. */
    public static String text(String value, String field, int maxLength) {
        if (value == null) {
            throw ApiException.badRequest(field + " is required");
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            throw ApiException.badRequest(field + " must not be blank");
        }
        if (trimmed.length() > maxLength) {
            throw ApiException.badRequest(field + " must be at most " + maxLength + " characters");
        }
        return trimmed;
    }

    public static int range(Integer value, String field, int min, int max) {
        if (value == null) {
            throw ApiException.badRequest(field + " is required");
        }
        if (value < min || value > max) {
            throw ApiException.badRequest(field + " must be between " + min + " and " + max);
        }
        return value;
    }

    /** Parses "YYYY-MM-DDTHH:MM". */
    public static LocalDateTime startsAt(String value) {
        if (value == null) {
            throw ApiException.badRequest("starts_at is required");
        }
        if (!STARTS_AT_SHAPE.matcher(value).matches()) {
            throw ApiException.badRequest("starts_at must look like 2030-01-31T18:30");
        }
        try {
            return LocalDateTime.parse(value, STARTS_AT);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("starts_at is not a valid date and time");
        }
    }

    /** Parses a "YYYY-MM-DD" query value. */
    public static LocalDate date(String value, String field) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + " must be a date like 2030-01-31");
        }
    }

    /** Trimmed and lower-cased e-mail address. */
    public static String email(String value) {
        String trimmed = text(value, "email", 254).toLowerCase(java.util.Locale.ROOT);
        if (!EMAIL.matcher(trimmed).matches()) {
            throw ApiException.badRequest("email must be an e-mail address");
        }
        return trimmed;
    }
}
