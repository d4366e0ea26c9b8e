"""One trial's account at the gateway: its token, its upstream, its caps, its meter, its records.

A session is opened by the agent before it starts and closed when it ends. The token is what
the agent (and its sandbox) hold instead of the provider's key. Every exchange is appended to
`gateway.jsonl` in the trial's agent folder with every secret redacted, and the totals (priced
usage, replies without a usage block, refusals, outages) are written to `gateway.json`.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from abcbench.agents.endpoint import Endpoint
from abcbench.agents.trajectory import redact, write_redacted
from abcbench.llm.client import AttemptRecord, RetryPolicy
from abcbench.llm.pricing import PriceTable
from abcbench.results.models import Usage, utcnow

EXCHANGES_FILE = "gateway.jsonl"
SUMMARY_FILE = "gateway.json"
MAX_RECORDED_BODY = 1_000_000
"""Characters of each request/response body kept in the record (the rest is cut, and said so)."""
RECORD_WAIT_SEC = 10.0
"""How long closing a trial waits for replies already relayed to be metered and recorded."""


@dataclass(frozen=True)
class Caps:
    """Optional per-trial limits; the gateway refuses requests once one is reached."""

    max_cost_usd: float | None = None
    max_tokens: int | None = None
    """Input + output tokens over the whole trial."""

    def reached(self, usage: Usage) -> str | None:
        if self.max_cost_usd is not None and usage.cost_usd >= self.max_cost_usd:
            return (f"this trial's cost cap of ${self.max_cost_usd:g} is spent "
                    f"(${usage.cost_usd:.4f} used)")
        used = usage.input_tokens + usage.output_tokens
        if self.max_tokens is not None and used >= self.max_tokens:
            return f"this trial's token cap of {self.max_tokens} is spent ({used} used)"
        return None


class Exchange(BaseModel):
    """One request from the agent and what the gateway answered (as recorded on disk)."""

    n: int
    started_at: str
    duration_sec: float
    method: str
    path: str
    wire: str
    stream: bool
    model: str | None = None
    status: int
    attempts: list[AttemptRecord] = Field(default_factory=list)
    usage: Usage | None = None
    usage_missing: bool = False
    refused: str | None = None
    upstream_unavailable: bool = False
    request: Any = None
    response: str = ""


class GatewaySummary(BaseModel):
    usage: Usage
    n_exchanges: int
    n_unmetered: int = Field(description="Successful replies that carried no usage block.")
    cap_reached: str | None = None
    outage: str | None = Field(
        default=None, description="Set when the last upstream request failed for good.")
    upstream: str


@dataclass
class TrialSession:
    upstream: Endpoint
    model: str
    prices: PriceTable
    logs_dir: Path | None
    secrets: list[str] = field(repr=False)
    caps: Caps = field(default_factory=Caps)
    retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(4, 1.0, 30.0))
    deadline: float | None = None
    """A `time.monotonic()` value past which no upstream retry is started."""
    request_timeout_sec: float = 600.0
    token: str = field(default_factory=lambda: "abcbench-" + secrets.token_urlsafe(24),
                       repr=False)
    via: str | None = None
    """The driver's relay (Ray): requests go there instead of the provider's base URL."""
    base_url: str = ""
    """Set by the gateway: the root the agent must use (append `/v1` for OpenAI clients)."""
    bind_host: str | None = None
    tokens_by_model: dict[str, Usage] = field(default_factory=dict)
    """Unpriced token sums per model: priced once at the end, so no per-request rounding
    accumulates."""
    n_exchanges: int = 0
    n_unmetered: int = 0
    cap_reached: str | None = None
    outage: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _replying: int = 0
    """Replies the agent may already hold that are not yet metered and recorded."""
    _recorded: threading.Condition = field(default_factory=threading.Condition, repr=False)

    @property
    def upstream_root(self) -> str:
        """Where requests go (the provider, or the driver's relay on Ray) without a trailing
        `/v1`: request paths carry their own."""
        url = (self.via or self.upstream.base_url).rstrip("/")
        return url[:-3] if url.endswith("/v1") else url

    @property
    def usage(self) -> Usage:
        """Tokens and cost so far, every model priced with its own price."""
        with self._lock:
            by_model = dict(self.tokens_by_model)
        priced = [self.prices.priced(model, tokens) for model, tokens in by_model.items()]
        return Usage(  # summed here: Usage.__add__ rounds cost to 6 decimals at every step
            input_tokens=sum(u.input_tokens for u in priced),
            output_tokens=sum(u.output_tokens for u in priced),
            cached_tokens=sum(u.cached_tokens for u in priced),
            cost_usd=round(sum(u.cost_usd for u in priced), 8),
            n_requests=sum(u.n_requests for u in priced),
            n_unmetered=self.n_unmetered)

    def refusal(self) -> str | None:
        usage = self.usage
        with self._lock:
            reason = self.caps.reached(usage)
            if reason:
                self.cap_reached = reason
            return reason

    def account(self, model: str | None, usage: Usage | None, ok: bool) -> Usage | None:
        """Add one reply's usage, priced for the model the request named."""
        if usage is None:
            with self._lock:
                self.n_unmetered += ok
            return None
        name = model or self.model
        with self._lock:
            self.tokens_by_model[name] = self.tokens_by_model.get(name, Usage()) + usage
        return self.prices.priced(name, usage)

    def set_outage(self, message: str | None) -> None:
        with self._lock:
            self.outage = message

    def record(self, exchange: Exchange) -> None:
        """Append one exchange, redacted; bodies are cut at MAX_RECORDED_BODY characters."""
        with self._lock:
            self.n_exchanges += 1
            exchange.n = self.n_exchanges
        if self.logs_dir is None:
            return
        if len(exchange.response) > MAX_RECORDED_BODY:
            exchange.response = exchange.response[:MAX_RECORDED_BODY] + "\n[... cut ...]"
        line = redact(exchange.model_dump_json(), [*self.secrets, self.token]) + "\n"
        with self._lock:
            self.logs_dir.mkdir(parents=True, exist_ok=True)
            with (self.logs_dir / EXCHANGES_FILE).open("a", encoding="utf-8") as out:
                out.write(line)

    def begin_reply(self) -> None:
        """A reply is about to reach the agent: `wait_recorded` waits for its record."""
        with self._recorded:
            self._replying += 1

    def end_reply(self) -> None:
        with self._recorded:
            self._replying -= 1
            self._recorded.notify_all()

    def wait_recorded(self, timeout: float = RECORD_WAIT_SEC) -> None:
        """Until every reply the agent got is metered and recorded (the agent may close its
        trial the moment it has its last reply, before the relay thread has counted it)."""
        with self._recorded:
            self._recorded.wait_for(lambda: self._replying <= 0, timeout)

    def summary(self) -> GatewaySummary:
        usage = self.usage
        with self._lock:
            return GatewaySummary(usage=usage, n_exchanges=self.n_exchanges,
                                  n_unmetered=self.n_unmetered, cap_reached=self.cap_reached,
                                  outage=self.outage, upstream=self.upstream.display_url)

    def write_summary(self) -> GatewaySummary:
        summary = self.summary()
        if self.logs_dir is not None:
            write_redacted(self.logs_dir / SUMMARY_FILE, summary.model_dump_json(indent=2) + "\n",
                           self.secrets)
        return summary


def now_iso() -> str:
    return utcnow().isoformat()


def request_json(body: bytes) -> Any:
    """The request as JSON when it is JSON (it is kept in the record), else its text."""
    try:
        return json.loads(body) if body else None
    except ValueError:
        return body[:MAX_RECORDED_BODY].decode("utf-8", errors="replace")


def remaining(deadline: float | None) -> float | None:
    return None if deadline is None else deadline - time.monotonic()
