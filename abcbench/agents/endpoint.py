"""Where an LLM agent's model lives and how it authenticates, from flags or the environment.

Precedence: `--agent-kwarg base_url=...`, then `--agent-env` values, then the host environment
(`ABCBENCH_BASE_URL`, then `OPENAI_BASE_URL`, or `ANTHROPIC_BASE_URL` for Anthropic-protocol
agents). The key comes only from `--agent-env` or the host environment (`OPENAI_API_KEY`, or
`ANTHROPIC_API_KEY` for Anthropic-protocol agents, or the variable named by `--agent-kwarg
api_key_env=...`): kwargs are recorded in result.json, so a key passed as a kwarg is refused.
The key goes to the model gateway only, never to a sandbox.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from abcbench.errors import UserError

DEFAULT_BASE_URL = "https://api.openai.com/v1"
BASE_URL_VARS = ("ABCBENCH_BASE_URL", "OPENAI_BASE_URL")
DEFAULT_KEY_VAR = "OPENAI_API_KEY"
ANTHROPIC_BASE_URL = "https://api.anthropic.com"
ANTHROPIC_KEY_VAR = "ANTHROPIC_API_KEY"
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


def resolve_endpoint(kwargs: dict[str, str], env: dict[str, str], wire: str = "chat"
                     ) -> Endpoint:
    """The provider for an agent speaking `wire`: Anthropic-protocol agents default to
    Anthropic's URL and `ANTHROPIC_API_KEY` (and read `ANTHROPIC_BASE_URL`), the others to
    OpenAI's."""
    bad = FORBIDDEN_KWARGS & {k.lower() for k in kwargs}
    anthropic = wire == "anthropic"
    default_var = ANTHROPIC_KEY_VAR if anthropic else DEFAULT_KEY_VAR
    if bad:
        raise UserError(f"--agent-kwarg {sorted(bad)[0]}=... would be written to result.json; "
                        f"pass the key as --agent-env {default_var}=... instead")
    url_vars = ("ABCBENCH_BASE_URL", "ANTHROPIC_BASE_URL") if anthropic else BASE_URL_VARS
    base_url = kwargs.get("base_url")
    for var in url_vars:
        base_url = base_url or env.get(var) or None
    for var in url_vars:
        base_url = base_url or os.environ.get(var) or None
    key_var = kwargs.get("api_key_env", default_var)
    api_key = env.get(key_var) or os.environ.get(key_var) or None
    url = base_url or (ANTHROPIC_BASE_URL if anthropic else DEFAULT_BASE_URL)
    if urlsplit(url).scheme not in ("http", "https"):
        raise UserError(f"base_url {url!r} must start with http:// or https://")
    return Endpoint(base_url=url, api_key=api_key, key_var=key_var)


def secret_values(endpoint: Endpoint, env: dict[str, str]) -> list[str]:
    """Everything that must never reach a file: the key and every --agent-env value."""
    values = [v for v in env.values() if v]
    if endpoint.api_key:
        values.append(endpoint.api_key)
    return values


PREFLIGHT_TIMEOUT_SEC = 30.0
PREFLIGHT_ATTEMPTS = 3
ANTHROPIC_VERSION = "2023-06-01"


PREFLIGHT_PROMPT = "Reply with one word: ok"
"""The endpoint check's whole conversation (test servers tell it from an agent's by this)."""


def _preflight_request(wire: str, endpoint: Endpoint, model: str) -> tuple[str, dict[str, Any],
                                                                          dict[str, str]]:
    """The smallest request of each protocol: one word in, a token or a few out."""
    root = endpoint.base_url.rstrip("/")
    v1 = root if root.endswith("/v1") else root + "/v1"
    key = endpoint.api_key or ""
    ping = [{"role": "user", "content": PREFLIGHT_PROMPT}]
    if wire == "anthropic":
        headers = {"x-api-key": key, "anthropic-version": ANTHROPIC_VERSION}
        return v1 + "/messages", {"model": model, "max_tokens": 1, "messages": ping}, headers
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if wire == "responses":
        return v1 + "/responses", {"model": model, "input": ping[0]["content"],
                                   "max_output_tokens": 16}, headers
    return v1 + "/chat/completions", {"model": model, "messages": ping, "max_tokens": 1}, headers


def check_endpoint(wire: str, endpoint: Endpoint, model: str) -> str | None:
    """One minimal request before the first trial, so a wrong key, model or base URL is bad
    input (one line, exit 2, nothing written) instead of a run that scores 0 %.

    Raises UserError on 401/403 (the key), 404 (the model or the URL) and an endpoint that
    cannot be reached at all. A provider that is throttling or failing (429, 5xx) is not the
    user's mistake: the run goes ahead and the returned warning says so (its trials' outages
    become infrastructure faults).
    """
    url, body, headers = _preflight_request(wire, endpoint, model)
    shown = endpoint.display_url
    last = ""
    for attempt in range(PREFLIGHT_ATTEMPTS):
        try:
            response = httpx.post(url, json=body, headers=headers,
                                  timeout=PREFLIGHT_TIMEOUT_SEC, follow_redirects=False)
        except httpx.HTTPError as exc:
            last = f"{exc.__class__.__name__}: {exc}"
            time.sleep(min(2.0 ** attempt, 4.0))
            continue
        status = response.status_code
        detail = " ".join(response.text.split())[:200]
        if status in (401, 403):
            raise UserError(f"the model endpoint {shown} refused the key (HTTP {status}: "
                            f"{detail}); check --agent-env {endpoint.key_var}=...")
        if status == 404:
            raise UserError(f"the model endpoint {shown} answered 404 for model {model!r} "
                            f"({detail}); check --model and --agent-kwarg base_url=...")
        if status in (429,) or status >= 500:
            return (f"the model endpoint {shown} answered HTTP {status} to a test request; "
                    "the run goes ahead, and trials it fails are infrastructure faults")
        return None
    raise UserError(f"the model endpoint {shown} cannot be reached ({last}); check "
                    "--agent-kwarg base_url=...")


def preflight_agent(agent: object) -> str | None:
    """`check_endpoint` for an LLM agent (one with a `wire` attribute); None for the others.
    Call it once per run, after `agent.validate()`, before anything is written."""
    wire = getattr(agent, "wire", None)
    if not isinstance(wire, str):
        return None
    endpoint = resolve_endpoint(getattr(agent, "kwargs", {}), getattr(agent, "env", {}), wire)
    model = getattr(agent, "model", None) or ""
    return check_endpoint(wire, endpoint, model.removeprefix("openai/").removeprefix(
        "anthropic/"))
