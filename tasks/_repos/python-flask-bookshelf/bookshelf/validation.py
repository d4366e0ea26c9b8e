"""Small, explicit validators for JSON request bodies and query strings."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Request

from .errors import ValidationError

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ISBN_RE = re.compile(r"^(?:\d{9}[\dX]|\d{13})$")


def json_body(request: Request) -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("request body must be a JSON object")
    return data


def reject_unknown(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(unknown)}")


def required_str(data: dict[str, Any], field: str, *, max_len: int = 200) -> str:
    if field not in data:
        raise ValidationError(f"'{field}' is required")
    return optional_str(data, field, max_len=max_len)  # type: ignore[return-value]


def optional_str(data: dict[str, Any], field: str, *, max_len: int = 200) -> str | None:
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"'{field}' must be a non-empty string")
    value = value.strip()
    if len(value) > max_len:
        raise ValidationError(f"'{field}' must be at most {max_len} characters")
    return value


def required_int(data: dict[str, Any], field: str, *, minimum: int | None = None,
                 maximum: int | None = None) -> int:
    if field not in data or data[field] is None:
        raise ValidationError(f"'{field}' is required")
    return optional_int(data, field, minimum=minimum, maximum=maximum)  # type: ignore[return-value]


def optional_int(data: dict[str, Any], field: str, *, minimum: int | None = None,
                 maximum: int | None = None) -> int | None:
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"'{field}' must be an integer")
    if minimum is not None and value < minimum:
        raise ValidationError(f"'{field}' must be >= {minimum}")
    if maximum is not None and value > maximum:
        raise ValidationError(f"'{field}' must be <= {maximum}")
    return value


def optional_date(data: dict[str, Any], field: str) -> date | None:
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"'{field}' must be a date string YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"'{field}' must be a date string YYYY-MM-DD") from None


def email(value: str) -> str:
    if not EMAIL_RE.match(value):
        raise ValidationError("'email' must be a valid email address")
    return value.lower()


def isbn(value: str) -> str:
    normalized = value.replace("-", "").replace(" ", "").upper()
    if not ISBN_RE.match(normalized):
        raise ValidationError("'isbn' must be an ISBN-10 or ISBN-13")
    return normalized


def query_int(args, name: str, *, default: int, minimum: int, maximum: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(f"query parameter '{name}' must be an integer") from None
    if value < minimum or value > maximum:
        raise ValidationError(f"query parameter '{name}' must be between {minimum} and {maximum}")
    return value


def query_bool(args, name: str) -> bool | None:
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    lowered = raw.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ValidationError(f"query parameter '{name}' must be true or false")
