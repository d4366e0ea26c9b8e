"""Token usage read from what the provider sent, in any of the three protocols, streamed or not.

The gateway is the one place that counts tokens, so every agent is metered alike. It reads the
provider's own usage blocks: `usage` of a chat completion (or of the last chunk of a stream that
asked for it), `usage` of a Responses object (in `response.completed` when streamed), and
Anthropic's `usage` (split between `message_start` and the cumulative `message_delta` when
streamed). A reply without any usage block is reported as such (None), never as zero tokens.
"""

from __future__ import annotations

import json
from typing import Any

from abcbench.llm.client import parse_usage
from abcbench.results.models import Usage


def _usage_blocks(obj: Any) -> list[dict[str, Any]]:
    """Every usage block an event or body carries, outermost last."""
    if not isinstance(obj, dict):
        return []
    found: list[dict[str, Any]] = []
    for key in ("message", "response"):  # Anthropic message_start, Responses events
        inner = obj.get(key)
        if isinstance(inner, dict) and isinstance(inner.get("usage"), dict):
            found.append(inner["usage"])
    if isinstance(obj.get("usage"), dict):
        found.append(obj["usage"])
    return found


def usage_of_body(body: bytes) -> Usage | None:
    """Usage of a whole (non-streamed) JSON reply; None if it has no usage block."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    blocks = _usage_blocks(data)
    return parse_usage(blocks[-1]) if blocks else None


class StreamMeter:
    """Fed the raw bytes of an event stream as they pass, it keeps the merged usage blocks.

    Later blocks override earlier keys: Anthropic's `message_delta` carries the final
    (cumulative) `output_tokens` after `message_start` gave the input side.
    """

    def __init__(self) -> None:
        self._pending = b""
        self._data: list[str] = []
        self.merged: dict[str, Any] = {}
        self.seen_usage = False
        self.n_events = 0

    def feed(self, chunk: bytes) -> None:
        self._pending += chunk
        *lines, self._pending = self._pending.split(b"\n")
        for raw in lines:
            self._line(raw.rstrip(b"\r").decode("utf-8", errors="replace"))

    def close(self) -> None:
        if self._pending:
            self._line(self._pending.decode("utf-8", errors="replace"))
            self._pending = b""
        self._line("")

    def _line(self, line: str) -> None:
        if line.startswith("data:"):
            self._data.append(line[5:].lstrip())
            return
        if line or not self._data:
            return
        text, self._data = "\n".join(self._data), []
        self.n_events += 1
        try:
            event = json.loads(text)
        except ValueError:
            return  # `[DONE]`, or a broken event
        for block in _usage_blocks(event):
            self.merged.update({k: v for k, v in block.items() if v is not None})
            self.seen_usage = True

    def usage(self) -> Usage | None:
        return parse_usage(self.merged) if self.seen_usage else None
