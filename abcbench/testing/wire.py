"""The three wire protocols LLM agents speak, as the scripted server renders a step in them.

OpenAI chat completions (`/v1/chat/completions`), OpenAI Responses (`/v1/responses`) and
Anthropic Messages (`/v1/messages`), each non-streamed (one JSON document) and streamed (server
sent events framed as the providers send them: chat completions as bare `data:` chunks ending in
`data: [DONE]`, with a usage chunk when `stream_options.include_usage` asks for it; Responses and
Messages as named `event:` + `data:` pairs, usage in `response.completed` and in
`message_start`/`message_delta`). Each protocol also says how many assistant turns a request's
conversation holds, which is how the server picks its reply without per-client state.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any, ClassVar

from abcbench.testing.script import ScriptedToken, Step, UsageStep, scripted_tokens

Event = tuple[str | None, Any]
"""(SSE event name or None, data: a JSON-able object, or a raw string such as `[DONE]`)."""


def _estimate_tokens(obj: Any) -> int:
    return max(1, len(json.dumps(obj, ensure_ascii=False)) // 4)


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(_text_of(c.get("text", c.get("content", ""))) if isinstance(c, dict)
                        else str(c) for c in content)
    return "" if content is None else str(content)


class Wire:
    """One protocol: routes, how to count turns, and how to render a reply or an error."""

    name: ClassVar[str]
    path: ClassVar[str]

    def messages(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def is_assistant(self, item: dict[str, Any]) -> bool:
        return item.get("role") == "assistant"

    def turn(self, body: dict[str, Any]) -> int:
        """Assistant turns in the conversation: runs of consecutive assistant items."""
        turns, previous = 0, False
        for item in self.messages(body):
            current = isinstance(item, dict) and self.is_assistant(item)
            turns += current and not previous
            previous = current
        return turns

    def user_text(self, body: dict[str, Any]) -> str:
        """Every user message's text, joined: what a script's routes match against."""
        return "\n".join(_text_of(m.get("content")) for m in self.messages(body)
                         if isinstance(m, dict) and m.get("role") == "user")

    def conversation(self, body: dict[str, Any]) -> str:
        """A key naming the conversation: its first user message."""
        first = next((m for m in self.messages(body)
                      if isinstance(m, dict) and m.get("role") == "user"), {})
        return hashlib.sha256(_text_of(first.get("content")).encode()).hexdigest()[:16]

    def usage(self, step: Step, body: dict[str, Any]) -> UsageStep:
        return step.usage or UsageStep(prompt_tokens=_estimate_tokens(self.messages(body)),
                                       completion_tokens=_estimate_tokens(
                                           [step.content, [c.arguments for c in step.tool_calls]]))

    def render(self, step: Step, body: dict[str, Any], index: int,
               usage: UsageStep) -> dict[str, Any]:
        raise NotImplementedError

    def events(self, step: Step, body: dict[str, Any], index: int,
               usage: UsageStep) -> list[Event]:
        raise NotImplementedError

    def error(self, status: int, message: str) -> dict[str, Any]:
        return {"error": {"message": message, "type": "injected", "code": status}}

    @staticmethod
    def call_id(step: Step, index: int, n: int) -> str:
        return step.tool_calls[n].id or f"call_{index}_{n}"


class ChatWire(Wire):
    name = "chat"
    path = "/chat/completions"

    def messages(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        return list(body.get("messages") or [])

    @staticmethod
    def usage_block(usage: UsageStep) -> dict[str, Any]:
        return {"prompt_tokens": usage.prompt_tokens,
                "completion_tokens": usage.completion_tokens,
                "total_tokens": usage.prompt_tokens + usage.completion_tokens,
                "prompt_tokens_details": {"cached_tokens": usage.cached_tokens}}

    def _calls(self, step: Step, index: int) -> list[dict[str, Any]]:
        return [{"id": self.call_id(step, index, n), "type": "function",
                 "function": {"name": c.name, "arguments": c.wire_arguments()}}
                for n, c in enumerate(step.tool_calls)]

    def render(self, step: Step, body: dict[str, Any], index: int,
               usage: UsageStep) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": step.content}
        if step.tool_calls:
            message["tool_calls"] = self._calls(step, index)
        choice: dict[str, Any] = {"index": 0, "message": message,
                                  "finish_reason": "tool_calls" if step.tool_calls else "stop"}
        reply = {"id": f"chatcmpl-scripted-{index}", "object": "chat.completion",
                 "created": int(time.time()), "model": body.get("model", "scripted"),
                 "choices": [choice], "usage": self.usage_block(usage)}
        self._add_tokens(step, body, choice, reply)
        return reply

    @staticmethod
    def _add_tokens(step: Step, body: dict[str, Any], choice: dict[str, Any],
                    reply: dict[str, Any]) -> None:
        """What an OpenAI-compatible server adds when asked: `logprobs.content` (with
        `top_logprobs` alternatives) for `logprobs: true`, and vLLM's `token_ids` /
        `prompt_token_ids` for `return_token_ids: true`."""
        tokens = scripted_tokens(step)
        if body.get("logprobs") is True:
            top = int(body.get("top_logprobs") or 0)
            def alternatives(t: ScriptedToken) -> list[dict[str, Any]]:
                """The sampled token first, then made-up ones, `top` in all."""
                alts = [{"token": f"alt{k}", "logprob": t.logprob - k, "bytes": None}
                        for k in range(1, top)]
                first: dict[str, Any] = {"token": t.token, "logprob": t.logprob,
                                         "bytes": list(t.token.encode())}
                return [first, *alts][: max(top, 0)]

            choice["logprobs"] = {"content": [
                {"token": t.token, "logprob": t.logprob, "bytes": list(t.token.encode()),
                 "top_logprobs": alternatives(t)} for t in tokens]}
        if body.get("return_token_ids") is True:
            choice["token_ids"] = [t.token_id for t in tokens]
            reply["prompt_token_ids"] = [  # one stand-in id per message, from its hash
                int.from_bytes(hashlib.sha256(json.dumps(m, sort_keys=True).encode())
                               .digest()[:3], "big") for m in body.get("messages") or []]

    def events(self, step: Step, body: dict[str, Any], index: int,
               usage: UsageStep) -> list[Event]:
        head = {"id": f"chatcmpl-scripted-{index}", "object": "chat.completion.chunk",
                "created": int(time.time()), "model": body.get("model", "scripted")}

        def chunk(delta: dict[str, Any], finish: str | None = None) -> Event:
            return None, {**head, "choices": [{"index": 0, "delta": delta,
                                               "finish_reason": finish}]}

        out = [chunk({"role": "assistant", "content": ""})]
        if step.content:
            out.append(chunk({"content": step.content}))
        extra: dict[str, Any] = {}
        top: dict[str, Any] = {}
        self._add_tokens(step, body, extra, top)
        if extra:  # the whole reply's token records on one chunk of their own
            out.append((None, {**head, **top, "choices": [
                {"index": 0, "delta": {}, "finish_reason": None, **extra}]}))
        for n, call in enumerate(self._calls(step, index)):
            args = call["function"]["arguments"]
            if not isinstance(args, str):
                args = json.dumps(args)
            out.append(chunk({"tool_calls": [{"index": n, "id": call["id"], "type": "function",
                                              "function": {"name": call["function"]["name"],
                                                           "arguments": ""}}]}))
            for part in (args[: len(args) // 2], args[len(args) // 2:]):
                out.append(chunk({"tool_calls": [{"index": n, "function": {"arguments": part}}]}))
        out.append(chunk({}, "tool_calls" if step.tool_calls else "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            out.append((None, {**head, "choices": [], "usage": self.usage_block(usage)}))
        out.append((None, "[DONE]"))
        return out


class ResponsesWire(Wire):
    name = "responses"
    path = "/responses"
    ASSISTANT_ITEMS = frozenset({"function_call", "reasoning", "custom_tool_call",
                                 "local_shell_call"})

    def messages(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        value = body.get("input")
        if isinstance(value, str):
            return [{"role": "user", "content": value}]
        return [i for i in value or [] if isinstance(i, dict)]

    def is_assistant(self, item: dict[str, Any]) -> bool:
        return item.get("type") in self.ASSISTANT_ITEMS or item.get("role") == "assistant"

    @staticmethod
    def usage_block(usage: UsageStep) -> dict[str, Any]:
        return {"input_tokens": usage.prompt_tokens,
                "input_tokens_details": {"cached_tokens": usage.cached_tokens},
                "output_tokens": usage.completion_tokens,
                "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": usage.prompt_tokens + usage.completion_tokens}

    def _items(self, step: Step, index: int) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        if step.content:
            items.append({"id": f"msg_{index}", "type": "message", "status": "completed",
                          "role": "assistant", "content": [
                              {"type": "output_text", "text": step.content, "annotations": []}]})
        for n, call in enumerate(step.tool_calls):
            items.append({"id": f"fc_{index}_{n}", "type": "function_call",
                          "status": "completed", "call_id": self.call_id(step, index, n),
                          "name": call.name, "arguments": call.wire_arguments()})
        return items

    def _response(self, body: dict[str, Any], index: int, status: str,
                  output: list[dict[str, Any]], usage: dict[str, Any] | None) -> dict[str, Any]:
        return {"id": f"resp_scripted_{index}", "object": "response",
                "created_at": int(time.time()), "status": status, "error": None,
                "model": body.get("model", "scripted"), "output": output, "usage": usage}

    def render(self, step: Step, body: dict[str, Any], index: int,
               usage: UsageStep) -> dict[str, Any]:
        return self._response(body, index, "completed", self._items(step, index),
                              self.usage_block(usage))

    def events(self, step: Step, body: dict[str, Any], index: int,
               usage: UsageStep) -> list[Event]:
        out: list[Event] = []

        def emit(kind: str, **data: Any) -> None:
            out.append((kind, {"type": kind, "sequence_number": len(out), **data}))

        emit("response.created", response=self._response(body, index, "in_progress", [], None))
        emit("response.in_progress",
             response=self._response(body, index, "in_progress", [], None))
        items = self._items(step, index)
        for n, item in enumerate(items):
            if item["type"] == "message":
                emit("response.output_item.added", output_index=n,
                     item={**item, "status": "in_progress", "content": []})
                part = {"type": "output_text", "text": "", "annotations": []}
                emit("response.content_part.added", item_id=item["id"], output_index=n,
                     content_index=0, part=part)
                text = item["content"][0]["text"]
                emit("response.output_text.delta", item_id=item["id"], output_index=n,
                     content_index=0, delta=text)
                emit("response.output_text.done", item_id=item["id"], output_index=n,
                     content_index=0, text=text)
                emit("response.content_part.done", item_id=item["id"], output_index=n,
                     content_index=0, part=item["content"][0])
            else:
                emit("response.output_item.added", output_index=n,
                     item={**item, "status": "in_progress", "arguments": ""})
                emit("response.function_call_arguments.delta", item_id=item["id"],
                     output_index=n, delta=item["arguments"])
                emit("response.function_call_arguments.done", item_id=item["id"],
                     output_index=n, arguments=item["arguments"])
            emit("response.output_item.done", output_index=n, item=item)
        emit("response.completed", response=self._response(
            body, index, "completed", items, self.usage_block(usage)))
        return out


class AnthropicWire(Wire):
    name = "anthropic"
    path = "/messages"

    def messages(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        return list(body.get("messages") or [])

    @staticmethod
    def usage_block(usage: UsageStep, output: int | None = None) -> dict[str, Any]:
        """Anthropic counts cache reads apart from `input_tokens`."""
        return {"input_tokens": usage.prompt_tokens - usage.cached_tokens,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": usage.cached_tokens,
                "output_tokens": usage.completion_tokens if output is None else output}

    def _blocks(self, step: Step, index: int) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = []
        if step.content:
            blocks.append({"type": "text", "text": step.content})
        for n, call in enumerate(step.tool_calls):
            blocks.append({"type": "tool_use", "id": self.call_id(step, index, n).replace(
                "call_", "toolu_"), "name": call.name, "input": call.arguments})
        return blocks

    def _message(self, step: Step, body: dict[str, Any], index: int,
                 content: list[dict[str, Any]], usage: dict[str, Any],
                 stop: str | None) -> dict[str, Any]:
        return {"id": f"msg_scripted_{index}", "type": "message", "role": "assistant",
                "model": body.get("model", "scripted"), "content": content,
                "stop_reason": stop, "stop_sequence": None, "usage": usage}

    @staticmethod
    def _stop(step: Step) -> str:
        return "tool_use" if step.tool_calls else "end_turn"

    def render(self, step: Step, body: dict[str, Any], index: int,
               usage: UsageStep) -> dict[str, Any]:
        return self._message(step, body, index, self._blocks(step, index),
                             self.usage_block(usage), self._stop(step))

    def events(self, step: Step, body: dict[str, Any], index: int,
               usage: UsageStep) -> list[Event]:
        out: list[Event] = [("message_start", {"type": "message_start", "message": self._message(
            step, body, index, [], self.usage_block(usage, output=1), None)}),
            ("ping", {"type": "ping"})]
        for n, block in enumerate(self._blocks(step, index)):
            start: dict[str, Any]
            delta: dict[str, Any]
            if block["type"] == "text":
                start, delta = {"type": "text", "text": ""}, {"type": "text_delta",
                                                               "text": block["text"]}
            else:
                start = {**block, "input": {}}
                delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
            out.append(("content_block_start", {"type": "content_block_start", "index": n,
                                                "content_block": start}))
            out.append(("content_block_delta", {"type": "content_block_delta", "index": n,
                                                "delta": delta}))
            out.append(("content_block_stop", {"type": "content_block_stop", "index": n}))
        out.append(("message_delta", {"type": "message_delta", "delta": {
            "stop_reason": self._stop(step), "stop_sequence": None},
            "usage": {"output_tokens": usage.completion_tokens}}))
        out.append(("message_stop", {"type": "message_stop"}))
        return out

    def error(self, status: int, message: str) -> dict[str, Any]:
        kind = {429: "rate_limit_error", 529: "overloaded_error", 401: "authentication_error",
                403: "permission_error", 404: "not_found_error"}.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}


WIRES: tuple[Wire, ...] = (ChatWire(), ResponsesWire(), AnthropicWire())


def wire_for(path: str) -> Wire | None:
    """The protocol a request path names (`/v1/messages`, `/responses`, ...)."""
    clean = path.split("?", 1)[0].rstrip("/")
    return next((w for w in WIRES if clean.endswith(w.path)), None)


def sse(event: Event) -> bytes:
    name, data = event
    text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return ((f"event: {name}\n" if name else "") + f"data: {text}\n\n").encode()
