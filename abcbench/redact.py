"""The one redaction step every string the harness records goes through.

Secrets are every `--agent-env` value, the model key, and credentials found in agent kwargs
(a `base_url` with `user:key@` or `?api-key=`). They reach this module in two ways: callers
pass what they hold, and the run registers its secrets once (`add_secrets`), so writers that
never saw the values (result.json, run.json, logs) still remove them. Credentials inside any
URL in the text are removed whether or not they were registered.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
import threading
from collections.abc import Collection, Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel

REDACTED = "***"
MIN_SECRET_LEN = 4
"""Shorter values are not redacted: replacing every "1" in a record would destroy it."""

SENSITIVE_PARAMS = frozenset({
    "api-key", "api_key", "apikey", "key", "token", "access_token", "refresh_token",
    "id_token", "auth", "sig", "signature", "secret", "client_secret", "password", "x-api-key",
})
"""URL query parameters whose value is a credential (compared lower-case)."""

SENSITIVE_KWARG = re.compile(r"(key|token|secret|password|passwd|credential)", re.IGNORECASE)
"""Agent kwargs named like this hold a credential, whatever their value looks like."""

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>`\\]*[^\s\"'<>`\\.,;:!?)\]}]")
"""A URL in free text; trailing punctuation belongs to the sentence, not the URL."""
_PARAM = re.compile(r"(?P<sep>[?&;])(?P<name>[^=&;#\s]+)=(?P<value>[^&;#\s]*)")

_lock = threading.Lock()
_run_secrets: set[str] = set()

M = TypeVar("M", bound=BaseModel)


def add_secrets(values: Iterable[str]) -> None:
    """Make every later `redact` in this process remove these values too."""
    with _lock:
        _run_secrets.update(v for v in values if v and len(v) >= MIN_SECRET_LEN)


def run_secrets() -> frozenset[str]:
    with _lock:
        return frozenset(_run_secrets)


def clear_secrets() -> None:
    """Forget the registered secrets (tests; a process that starts another run)."""
    with _lock:
        _run_secrets.clear()


def _forms(secret: str) -> set[str]:
    """A secret as it may appear: raw, inside a JSON string, percent-decoded in a URL."""
    return {secret, json.dumps(secret)[1:-1], unquote(secret)}


def redact_url_credentials(url: str) -> str:
    """`url` with its password (or a lone user, the token-as-user form) and the values of
    credential query parameters replaced by `***`; everything else kept byte for byte."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    out = url
    if "@" in parts.netloc:
        userinfo, _, host = parts.netloc.rpartition("@")
        user, sep, _password = userinfo.partition(":")
        safe = f"{user}:{REDACTED}" if sep else REDACTED
        out = out.replace(parts.netloc, f"{safe}@{host}", 1)

    def param(match: re.Match[str]) -> str:
        if match["name"].lower() in SENSITIVE_PARAMS and match["value"]:
            return f"{match['sep']}{match['name']}={REDACTED}"
        return match[0]

    head, sep, rest = out.partition("?")
    if sep:
        out = head + _PARAM.sub(param, "?" + rest)
    return out


def url_secrets(url: str) -> list[str]:
    """The credentials `redact_url_credentials` would remove from `url`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found: list[str] = []
    if "@" in parts.netloc:
        userinfo = parts.netloc.rpartition("@")[0]
        user, sep, password = userinfo.partition(":")
        found.append(password if sep else user)
    found += [m["value"] for m in _PARAM.finditer("?" + parts.query)
              if m["name"].lower() in SENSITIVE_PARAMS and m["value"]]
    return [s for s in found if len(s) >= MIN_SECRET_LEN]


def secrets_in_kwargs(kwargs: Mapping[str, str]) -> list[str]:
    """Credentials an agent's kwargs carry: URL credentials, and kwargs named like keys."""
    found: list[str] = []
    for name, value in kwargs.items():
        if SENSITIVE_KWARG.search(name) and not name.lower().endswith(("_env", "_var")):
            found.append(value)
        for url in _URL.findall(value):
            found += url_secrets(url)
    return [s for s in found if len(s) >= MIN_SECRET_LEN]


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace each secret (given here or registered for the run), in each form it may take,
    and every URL credential by `***`."""
    forms: set[str] = set()
    for secret in {*secrets, *run_secrets()}:
        if len(secret) >= MIN_SECRET_LEN:
            forms |= {f for f in _forms(secret) if len(f) >= MIN_SECRET_LEN}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, REDACTED)
    if "://" in text:
        text = _URL.sub(lambda m: redact_url_credentials(m[0]), text)
    return text


def _scrub(value: Any, secrets: frozenset[str]) -> Any:
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: _scrub(getattr(value, name), secrets)
                                        for name in type(value).model_fields})
    if isinstance(value, Enum):  # str enums are values of the schema, not free text
        return value
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [_scrub(v, secrets) for v in value]
    if isinstance(value, tuple):
        return tuple(_scrub(v, secrets) for v in value)
    if isinstance(value, dict):
        return {k: _scrub(v, secrets) for k, v in value.items()}
    return value


def redact_model(model: M, secrets: Iterable[str] = ()) -> M:
    """A copy of `model` with every free-text string redacted (numbers, dates, enum values
    and dict keys untouched, so the record stays valid)."""
    return _scrub(model, frozenset(secrets))  # type: ignore[no-any-return]


def redacted_kwargs(kwargs: Mapping[str, str]) -> list[str]:
    """Names of recorded kwargs that lost a credential to redaction: a resumed run cannot
    reuse them as they are (the run must get the credential another way, e.g. --agent-env)."""
    return sorted(name for name, value in kwargs.items() if REDACTED in value)


_CHUNK = 1 << 20
_LONG_LINE = 4 << 20
"""A line longer than this is redacted in pieces (a secret across a piece boundary of such
a line is the one case a file can keep)."""


def redact_file(path: Path, secrets: Iterable[str] = ()) -> bool:
    """Rewrite the regular file `path` with `redact` applied, streaming (logs can be large).

    A link, FIFO or device at `path` is left alone, never followed or read. The new content
    replaces the name atomically (written beside it, then renamed). Bytes that are not UTF-8
    are kept as they are. True when something was removed.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    given = list(secrets)

    def scrub(data: bytes) -> bytes:
        text = data.decode("utf-8", "surrogateescape")
        return redact(text, given).encode("utf-8", "surrogateescape")

    changed = False
    with os.fdopen(fd, "rb") as src:
        if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
            return False
        out_fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(out_fd, "wb") as out:
                carry = b""
                while chunk := src.read(_CHUNK):
                    data = carry + chunk
                    cut = data.rfind(b"\n") + 1
                    if cut == 0 and len(data) < _LONG_LINE:
                        carry = data
                        continue
                    cut = cut or len(data)
                    clean = scrub(data[:cut])
                    changed |= clean != data[:cut]
                    out.write(clean)
                    carry = data[cut:]
                clean = scrub(carry)
                changed |= clean != carry
                out.write(clean)
            if changed:
                os.chmod(tmp, stat.S_IMODE(os.fstat(src.fileno()).st_mode))
                os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return changed


def redact_tree(root: Path, secrets: Iterable[str] = (), *,
                keep: Collection[str] = ()) -> list[str]:
    """`redact_file` on every regular file under `root` except the top-level names in `keep`;
    links are neither followed nor descended into. Returns the files that held a secret."""
    given = list(secrets)
    changed: list[str] = []
    for current, dirs, files in os.walk(root, followlinks=False):
        here = Path(current)
        if here == root:
            dirs[:] = [d for d in dirs if d not in keep]
            files = [f for f in files if f not in keep]
        for name in files:
            if redact_file(here / name, given):
                changed.append((here / name).relative_to(root).as_posix())
    return sorted(changed)
