"""An OpenAI-compatible chat-completions client: retries, deadlines and usage accounting.

Providers throttle (429) and fail transiently (5xx, dropped connections); a benchmark run must
ride those out without the agent seeing them, yet never wait past the agent's time budget. So
every call takes a deadline: backoff sleeps and request timeouts are clipped to it, and when the
budget cannot cover the next wait the client raises `DeadlineReached` instead of sleeping.
The API key is sent as a header and appears in no exception message or record.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import BaseModel, Field

from abcbench.errors import ModelEndpointUnavailable
from abcbench.llm.pricing import PriceTable
from abcbench.results.models import Usage

Message = dict[str, Any]
RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529})
GATEWAY_HEADER = "x-abcbench-gateway"
"""Set by the model gateway on answers that are its own verdict, not the provider's."""


class LLMError(Exception):
    """The model could not be asked: a refused request. `attempts` keeps what was tried."""

    def __init__(self, message: str, attempts: list[AttemptRecord] | None = None) -> None:
        super().__init__(message)
        self.attempts = list(attempts or [])


class LLMHTTPError(LLMError):
    def __init__(self, status: int, detail: str,
                 attempts: list[AttemptRecord] | None = None) -> None:
        super().__init__(f"HTTP {status} from the model endpoint: {detail}", attempts)
        self.status = status


class DeadlineReached(LLMError):
    """The time budget ran out while waiting for (or retrying) the model."""


class CapReached(LLMError):
    """The gateway refused the request: the trial's cost or token cap is spent."""


class EndpointUnavailable(ModelEndpointUnavailable):
    """Retries used up on 5xx, 429, timeouts, dropped connections or broken replies (or the
    gateway said its own retries were used up): an outage, never the model's answer."""

    def __init__(self, message: str, attempts: list[AttemptRecord]) -> None:
        super().__init__(message)
        self.attempts = list(attempts)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_delay_sec: float = 1.0
    max_delay_sec: float = 60.0
    jitter: float = 0.1
    """Fraction of each backoff randomized, so concurrent trials do not retry in lockstep."""

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before attempt `attempt + 1`; a server's Retry-After is a floor."""
        delay = min(self.base_delay_sec * 2.0 ** (attempt - 1), self.max_delay_sec)
        delay *= 1 + random.uniform(0, self.jitter)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return delay


class AttemptRecord(BaseModel):
    """One HTTP attempt of a request: what came back and how long we waited after it."""

    status: int | None = None
    error: str | None = None
    duration_sec: float = 0.0
    retry_after_sec: float | None = None
    waited_sec: float = 0.0


class ChatResult(BaseModel):
    message: Message
    finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    usage_missing: bool = False
    """The reply carried no usage block: its tokens are unknown, not zero."""
    priced: bool = False
    attempts: list[AttemptRecord] = Field(default_factory=list)
    duration_sec: float = 0.0
    response_id: str | None = None


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def parse_usage(data: Any) -> Usage:
    """OpenAI's `prompt_tokens`/`completion_tokens` (+ cached details), or the Anthropic-style
    `input_tokens`/`output_tokens`/`cache_read_input_tokens` some gateways pass through."""
    if not isinstance(data, dict):
        return Usage(n_requests=1)

    def num(*keys: str, src: dict[str, Any] = data) -> int:
        for key in keys:
            value = src.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return int(value)
        return 0

    details = data.get("prompt_tokens_details") or data.get("input_tokens_details") or {}
    cached = num("cached_tokens", src=details) if isinstance(details, dict) else 0
    cached = cached or num("cache_read_input_tokens", "cached_tokens")
    input_tokens = num("prompt_tokens", "input_tokens")
    if "input_tokens" in data and "prompt_tokens" not in data:
        # Anthropic counts cache reads and cache writes apart from `input_tokens`
        input_tokens += num("cache_read_input_tokens") + num("cache_creation_input_tokens")
    return Usage(
        input_tokens=input_tokens,
        output_tokens=num("completion_tokens", "output_tokens"),
        cached_tokens=cached,
        n_requests=1,
    )


@dataclass
class ChatClient:
    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    prices: PriceTable | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    request_timeout_sec: float = 600.0
    extra_body: dict[str, Any] = field(default_factory=dict)
    _http: httpx.Client = field(init=False, repr=False)

    def __post_init__(self) -> None:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        self._http = httpx.Client(headers=headers, follow_redirects=False)

    def close(self) -> None:
        self._http.close()

    @property
    def endpoint(self) -> str:
        return self.base_url.rstrip("/") + "/chat/completions"

    def complete(self, messages: list[Message], tools: list[dict[str, Any]] | None = None,
                 *, deadline: float | None = None) -> ChatResult:
        """One chat completion, retried on throttling and transient faults until `deadline`
        (a `time.monotonic()` value)."""
        body: dict[str, Any] = {"model": self.model, "messages": messages, **self.extra_body}
        if tools:
            body["tools"] = tools
        attempts: list[AttemptRecord] = []
        started = time.monotonic()
        for attempt in range(1, self.retry.max_attempts + 1):
            record = AttemptRecord()
            attempts.append(record)
            timeout = self.request_timeout_sec
            if deadline is not None:
                timeout = min(timeout, deadline - time.monotonic())
                if timeout <= 0:
                    raise DeadlineReached("the time budget ran out before the model answered",
                                          attempts)
            t0 = time.monotonic()
            retry_after: float | None = None
            try:
                response = self._http.post(self.endpoint, json=body, timeout=timeout)
            except httpx.TimeoutException as exc:
                record.error = f"timeout: {exc.__class__.__name__}"
            except httpx.TransportError as exc:
                record.error = f"{exc.__class__.__name__}: {exc}"
            else:
                record.status = response.status_code
                record.duration_sec = round(time.monotonic() - t0, 3)
                verdict = response.headers.get(GATEWAY_HEADER)
                if response.status_code == 200:
                    try:
                        return self._result(response, attempts, started)
                    except LLMError as exc:  # a broken body: transient, like a 5xx
                        record.error = str(exc)
                else:
                    retry_after = parse_retry_after(response.headers.get("retry-after"))
                    record.retry_after_sec = retry_after
                    record.error = _error_detail(response)
                    if verdict == "upstream-unavailable":
                        raise EndpointUnavailable(record.error, attempts)
                    if verdict == "cap-reached":
                        raise CapReached(record.error, attempts)
                    if verdict == "deadline":
                        raise DeadlineReached(record.error, attempts)
                    if response.status_code not in RETRYABLE_STATUS:
                        raise LLMHTTPError(response.status_code, record.error, attempts)
            record.duration_sec = round(time.monotonic() - t0, 3)
            if attempt == self.retry.max_attempts:
                break
            wait = self.retry.backoff(attempt, retry_after)
            if deadline is not None and time.monotonic() + wait >= deadline:
                raise DeadlineReached(
                    f"the time budget ends before the next retry (last: {record.error})",
                    attempts)
            record.waited_sec = round(wait, 3)
            time.sleep(wait)
        raise EndpointUnavailable(f"the model endpoint failed {len(attempts)} times; last: "
                                  f"{attempts[-1].error}", attempts)

    def _result(self, response: httpx.Response, attempts: list[AttemptRecord],
                started: float) -> ChatResult:
        try:
            data = response.json()
            choice = data["choices"][0]
            message = dict(choice["message"])
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"the model endpoint sent a malformed completion ({exc!r}): "
                           f"{response.text[:300]}") from None
        usage = parse_usage(data.get("usage"))
        usage_missing = not isinstance(data.get("usage"), dict)
        priced = False
        if self.prices is not None:
            priced = self.prices.lookup(self.model) is not None
            usage = self.prices.priced(self.model, usage)
        return ChatResult(
            message=message,
            finish_reason=choice.get("finish_reason"),
            usage=usage,
            usage_missing=usage_missing,
            priced=priced,
            attempts=attempts,
            duration_sec=round(time.monotonic() - started, 3),
            response_id=data.get("id"),
        )


def _error_detail(response: httpx.Response) -> str:
    """The provider's error message, short; bodies of error pages can be huge HTML."""
    try:
        data = response.json()
        error = data.get("error", data) if isinstance(data, dict) else data
        text = error.get("message", str(error)) if isinstance(error, dict) else str(error)
    except ValueError:
        text = response.text
    return " ".join(str(text).split())[:300] or response.reason_phrase
