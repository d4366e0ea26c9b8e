"""Per-completion token records: what an OpenAI-compatible server returned for each chat
completion (log-probabilities, token ids when it serves them), kept for training.

The gateway already sees every reply; this module reads a successful chat-completion reply
(one JSON document, or the chunks of an event stream) once with `json` and appends one
`CompletionTokens` line per completion to `completions.jsonl` beside `gateway.jsonl`. Nothing is
recomputed or re-tokenised: log-probabilities come from `choices[].logprobs.content`, token ids
from `choices[].token_ids` and `prompt_token_ids` (vLLM's `return_token_ids`), or from tokens
written as `token_id:N` (vLLM's `return_tokens_as_token_ids`). A reply past
`MAX_RECORDED_TOKENS` is cut and marked `truncated`, so a record has a size bound.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from typing import Any

from pydantic import BaseModel, Field

from abcbench.agents.trajectory import redact

COMPLETIONS_FILE = "completions.jsonl"
MAX_RECORDED_TOKENS = 262_144
"""Tokens kept per completion (log-probs, ids); the rest is cut and `truncated` is set."""
MAX_TOP_LOGPROBS = 20
"""The OpenAI API serves at most 20 alternatives per position."""
TOKEN_ID = re.compile(r"^token_id:(\d+)$")
_LOCK = threading.Lock()


class TopLogprob(BaseModel):
    token: str
    logprob: float
    token_id: int | None = None
    bytes: list[int] | None = None


class TokenLogprob(BaseModel):
    """One sampled token as served: its text, log-probability and (when known) its id."""

    token: str
    logprob: float
    token_id: int | None = None
    bytes: list[int] | None = None
    top_logprobs: list[TopLogprob] = Field(default_factory=list)


class ChoiceTokens(BaseModel):
    index: int = 0
    finish_reason: str | None = None
    message: dict[str, Any] | None = Field(
        default=None, description="The assistant message as served (role, content, tool_calls).")
    token_ids: list[int] | None = Field(
        default=None, description="Completion token ids, when the server returns them.")
    logprobs: list[TokenLogprob] | None = Field(
        default=None, description="Per-token log-probabilities (None: none were served).")
    truncated: bool = False


class CompletionTokens(BaseModel):
    """One chat completion the gateway relayed, in the order the replies arrived."""

    started_at: str
    duration_sec: float = 0.0
    response_id: str | None = None
    model: str | None = None
    stream: bool = False
    n_request_messages: int = Field(
        0, description="Messages in the request: the prompt is the episode's first N messages.")
    requested: dict[str, Any] = Field(
        default_factory=dict, description="The request's sampling fields (logprobs, "
        "top_logprobs, seed, temperature, ...), as sent.")
    prompt_token_ids: list[int] | None = None
    usage: dict[str, Any] | None = None
    choices: list[ChoiceTokens] = Field(default_factory=list)


SAMPLING_FIELDS = ("logprobs", "top_logprobs", "seed", "temperature", "top_p", "max_tokens",
                   "max_completion_tokens", "n", "return_token_ids",
                   "return_tokens_as_token_ids")


def _token_id(token: str, given: Any) -> int | None:
    if isinstance(given, int) and not isinstance(given, bool):
        return given
    match = TOKEN_ID.match(token)
    return int(match.group(1)) if match else None


def _ints(value: Any) -> list[int] | None:
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool)
                                       for v in value):
        return list(value)
    return None


def _entries(logprobs: Any) -> list[dict[str, Any]] | None:
    if not isinstance(logprobs, dict) or not isinstance(logprobs.get("content"), list):
        return None
    return [e for e in logprobs["content"] if isinstance(e, dict)]


def _token(entry: dict[str, Any]) -> TokenLogprob:
    text = str(entry.get("token", ""))
    given = entry.get("top_logprobs")
    tops: list[Any] = given if isinstance(given, list) else []
    return TokenLogprob(
        token=text, logprob=float(entry.get("logprob", 0.0)),
        token_id=_token_id(text, entry.get("token_id")), bytes=_ints(entry.get("bytes")),
        top_logprobs=[TopLogprob(token=str(t.get("token", "")),
                                 logprob=float(t.get("logprob", 0.0)),
                                 token_id=_token_id(str(t.get("token", "")), t.get("token_id")),
                                 bytes=_ints(t.get("bytes")))
                      for t in tops[:MAX_TOP_LOGPROBS] if isinstance(t, dict)])


def _choice(index: int, finish: Any, message: Any, token_ids: Any,
            entries: list[dict[str, Any]] | None) -> ChoiceTokens:
    ids = _ints(token_ids)
    truncated = bool((ids and len(ids) > MAX_RECORDED_TOKENS)
                     or (entries and len(entries) > MAX_RECORDED_TOKENS))
    logprobs = None if entries is None else [_token(e) for e in entries[:MAX_RECORDED_TOKENS]]
    if ids is None and logprobs and all(t.token_id is not None for t in logprobs):
        ids = [t.token_id for t in logprobs if t.token_id is not None]
    return ChoiceTokens(index=index, finish_reason=finish if isinstance(finish, str) else None,
                        message=message if isinstance(message, dict) else None,
                        token_ids=None if ids is None else ids[:MAX_RECORDED_TOKENS],
                        logprobs=logprobs, truncated=truncated)


def from_body(data: dict[str, Any]) -> tuple[list[ChoiceTokens], list[int] | None]:
    """The choices of a whole `chat.completion` document."""
    choices = [_choice(int(c.get("index", n)), c.get("finish_reason"), c.get("message"),
                       c.get("token_ids"), _entries(c.get("logprobs")))
               for n, c in enumerate(data.get("choices") or []) if isinstance(c, dict)]
    return choices, _ints(data.get("prompt_token_ids"))


def from_stream(text: str) -> tuple[list[ChoiceTokens], list[int] | None, Any, Any]:
    """The choices of a streamed reply, its chunks merged per choice index (content,
    log-prob entries and token ids concatenated in order); also its id and usage."""
    merged: dict[int, dict[str, Any]] = {}
    prompt_ids: list[int] | None = None
    response_id = usage = None
    for line in text.splitlines():
        if not line.startswith("data:"):
            continue
        try:
            chunk = json.loads(line[5:].strip())
        except ValueError:
            continue  # `[DONE]`
        if not isinstance(chunk, dict):
            continue
        response_id = response_id or chunk.get("id")
        usage = chunk.get("usage") or usage
        prompt_ids = prompt_ids or _ints(chunk.get("prompt_token_ids"))
        for c in chunk.get("choices") or []:
            if not isinstance(c, dict):
                continue
            slot = merged.setdefault(int(c.get("index", 0)), {
                "content": None, "entries": None, "ids": None, "finish": None})
            raw_delta = c.get("delta")
            delta: dict[str, Any] = raw_delta if isinstance(raw_delta, dict) else {}
            if isinstance(delta.get("content"), str):
                slot["content"] = (slot["content"] or "") + delta["content"]
            entries = _entries(c.get("logprobs"))
            if entries is not None:
                slot["entries"] = (slot["entries"] or []) + entries
            ids = _ints(c.get("token_ids"))
            if ids is not None:
                slot["ids"] = (slot["ids"] or []) + ids
            slot["finish"] = c.get("finish_reason") or slot["finish"]
    choices = [_choice(index, s["finish"], {"role": "assistant", "content": s["content"]},
                       s["ids"], s["entries"]) for index, s in sorted(merged.items())]
    return choices, prompt_ids, response_id, usage


def extract(request: Any, response: str, stream: bool) -> CompletionTokens | None:
    """The token record of one successful chat-completion reply (None: not JSON)."""
    req = request if isinstance(request, dict) else {}
    if stream:
        choices, prompt_ids, response_id, usage = from_stream(response)
    else:
        try:
            data = json.loads(response)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        choices, prompt_ids = from_body(data)
        response_id, usage = data.get("id"), data.get("usage")
    messages = req.get("messages")
    return CompletionTokens(
        started_at="", response_id=response_id if isinstance(response_id, str) else None,
        model=req.get("model") if isinstance(req.get("model"), str) else None, stream=stream,
        n_request_messages=len(messages) if isinstance(messages, list) else 0,
        requested={k: req[k] for k in SAMPLING_FIELDS if k in req},
        prompt_token_ids=prompt_ids, usage=usage if isinstance(usage, dict) else None,
        choices=choices)


def record_tokens(session: Any, exchange: Any) -> None:
    """Append the token record of a relayed chat completion to the trial's
    `completions.jsonl` (redacted like `gateway.jsonl`); other replies are skipped. Called by
    the gateway once the whole reply has been relayed; never raises into the relay."""
    if (exchange.wire != "chat" or exchange.status != 200 or exchange.method != "POST"
            or session.logs_dir is None):
        return
    try:
        record = extract(exchange.request, exchange.response, exchange.stream)
    except (ValueError, TypeError):
        return
    if record is None:
        return
    record.started_at, record.duration_sec = exchange.started_at, exchange.duration_sec
    line = redact(record.model_dump_json(), [*session.secrets, session.token]) + "\n"
    with _LOCK, contextlib.suppress(OSError):
        session.logs_dir.mkdir(parents=True, exist_ok=True)
        with (session.logs_dir / COMPLETIONS_FILE).open("a", encoding="utf-8") as out:
            out.write(line)
