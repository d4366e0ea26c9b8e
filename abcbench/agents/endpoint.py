"""Where an LLM agent's model lives and how it authenticates, from flags or the environment.

Precedence: `--agent-kwarg base_url=...`, then `--agent-env` values, then the host environment
(`ABCBENCH_BASE_URL`, `OPENAI_BASE_URL`). The key comes only from `--agent-env` or the host
environment (`OPENAI_API_KEY`, or the variable named by `--agent-kwarg api_key_env=...`):
kwargs are recorded in result.json, so a key passed as a kwarg is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from abcbench.errors import UserError

DEFAULT_BASE_URL = "https://api.openai.com/v1"
BASE_URL_VARS = ("ABCBENCH_BASE_URL", "OPENAI_BASE_URL")
DEFAULT_KEY_VAR = "OPENAI_API_KEY"
FORBIDDEN_KWARGS = frozenset({"api_key", "key", "token", "openai_api_key"})


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    api_key: str | None = field(default=None, repr=False)
    key_var: str = DEFAULT_KEY_VAR

    @property
    def display_url(self) -> str:
        """The URL without credentials or query string, safe to log."""
        parts = urlsplit(self.base_url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, "", ""))


def resolve_endpoint(kwargs: dict[str, str], env: dict[str, str]) -> Endpoint:
    bad = FORBIDDEN_KWARGS & {k.lower() for k in kwargs}
    if bad:
        raise UserError(f"--agent-kwarg {sorted(bad)[0]}=... would be written to result.json; "
                        f"pass the key as --agent-env {DEFAULT_KEY_VAR}=... instead")
    base_url = kwargs.get("base_url")
    for var in BASE_URL_VARS:
        base_url = base_url or env.get(var) or None
    for var in BASE_URL_VARS:
        base_url = base_url or os.environ.get(var) or None
    key_var = kwargs.get("api_key_env", DEFAULT_KEY_VAR)
    api_key = env.get(key_var) or os.environ.get(key_var) or None
    url = base_url or DEFAULT_BASE_URL
    if urlsplit(url).scheme not in ("http", "https"):
        raise UserError(f"base_url {url!r} must start with http:// or https://")
    return Endpoint(base_url=url, api_key=api_key, key_var=key_var)


def secret_values(endpoint: Endpoint, env: dict[str, str]) -> list[str]:
    """Everything that must never reach a file: the key and every --agent-env value."""
    values = [v for v in env.values() if v]
    if endpoint.api_key:
        values.append(endpoint.api_key)
    return values
