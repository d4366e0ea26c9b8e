"""Conversions from each agent's own log to ATIF (`atif.py`): one function per log format.

Each returns a `Builder` filled with the system/user/agent steps it could read; the caller
finishes it with the gateway's usage. Unknown or malformed log lines are skipped, never fatal:
a trajectory is a record, and a partial one is better than none.
"""

from __future__ import annotations

import json
import re
from typing import Any

from abcbench.agents.atif import (
    AtifObservation,
    AtifResult,
    AtifToolCall,
    Builder,
    arguments_object,
    metrics_of,
    stamp,
)
from abcbench.agents.trajectory import Trajectory

BASH_BLOCK = re.compile(r"```(?:bash|sh)\s*\n(.*?)```", re.DOTALL)


def from_abc(traj: Trajectory, version: str) -> Builder:
    """The built-in agent: its steps already pair each reply with its tool results and usage."""
    b = Builder(traj.agent, version, traj.model)
    b.add("system", traj.system_prompt, timestamp=stamp(traj.started_at))
    b.add("user", traj.instruction)
    for step in traj.steps:
        calls = [AtifToolCall(tool_call_id=c.id, function_name=c.name,
                              arguments=arguments_object(c.arguments)) for c in step.tool_calls]
        results = [AtifResult(source_call_id=c.id, content=c.output) for c in step.tool_calls]
        call = step.model_call
        extra: dict[str, Any] = {"started_sec": step.started_sec,
                                 "duration_sec": call.duration_sec,
                                 "attempts": len(call.attempts)}
        if call.usage_missing:
            extra["usage_missing"] = True
        if step.note:
            extra["note"] = step.note
        b.add("agent", _text(step.assistant.get("content")), model_name=traj.model,
              reasoning_content=step.assistant.get("reasoning_content") or None,
              tool_calls=calls or None,
              observation=AtifObservation(results=results) if results else None,
              metrics=None if call.usage_missing else metrics_of(call.usage), extra=extra)
        if step.note:
            b.add("user", step.note)
    return b


def from_mini(data: dict[str, Any], version: str, model: str | None) -> Builder:
    """mini-swe-agent: a chat. Its actions are tool calls (2.x) or bash blocks (1.x); their
    output comes back as `tool` (or user) messages; an `exit` message ends it. A reply it could
    not parse (text only, an unknown tool) is not an assistant message in its log: mini keeps
    that response inside the format-error message that answers it (`extra.response`), from
    which it becomes an agent step of its own, before that message."""
    b = Builder("mini-swe-agent", version, model)
    pending: Any = None
    for n, message in enumerate(data.get("messages") or []):
        if not isinstance(message, dict):
            continue
        role, text = message.get("role"), _text(message.get("content"))
        raw_extra = message.get("extra")
        extra: dict[str, Any] = raw_extra if isinstance(raw_extra, dict) else {}
        if role == "system":
            b.add("system", text)
        elif role == "assistant":
            pending = b.add("agent", text, model_name=model,
                            tool_calls=_mini_calls(message, text, n) or None)
        elif role == "user" and isinstance(extra.get("response"), dict):
            reply = _first_choice(extra["response"])
            b.add("agent", _text(reply.get("content")), model_name=model,
                  tool_calls=_mini_calls(reply, "", n) or None,
                  extra={"unparsed": extra.get("interrupt_type") or "FormatError"})
            b.add("user", text)
            pending = None
        elif role in ("user", "tool") and pending is not None and pending.tool_calls:
            ids = [c.tool_call_id for c in pending.tool_calls]
            call_id = message.get("tool_call_id") if message.get("tool_call_id") in ids \
                else ids[0]
            results = pending.observation.results if pending.observation else []
            if role == "user" and results:  # a later user message is a message, not output
                b.add("user", text)
                pending = None
                continue
            results.append(AtifResult(source_call_id=call_id, content=text))
            pending.observation = AtifObservation(results=results)
        elif role == "user":
            b.add("user", text)
    return b


def _first_choice(response: dict[str, Any]) -> dict[str, Any]:
    """The reply message of an OpenAI-style response object ({} when it has none)."""
    choices = response.get("choices")
    first = choices[0] if isinstance(choices, list) and choices else {}
    message = first.get("message") if isinstance(first, dict) else None
    return message if isinstance(message, dict) else {}


def _mini_calls(message: dict[str, Any], text: str, n: int) -> list[AtifToolCall]:
    """A reply's tool calls, by the name the model called; 1.x's bash blocks as `bash`."""
    calls = [AtifToolCall(tool_call_id=str(c.get("id") or f"call_{n}_{i}"),
                          function_name=str((c.get("function") or {}).get("name")),
                          arguments=arguments_object((c.get("function") or {}).get("arguments")))
             for i, c in enumerate(message.get("tool_calls") or []) if isinstance(c, dict)]
    if not calls and text:
        calls = [AtifToolCall(tool_call_id=f"bash_{n}_{i}", function_name="bash",
                              arguments={"command": c.strip()})
                 for i, c in enumerate(BASH_BLOCK.findall(text))]
    return calls


def from_claude(events: list[dict[str, Any]], version: str, model: str | None) -> Builder:
    """Claude Code's stream-json: assistant events (one per content block, grouped by message
    id) and user events carrying tool results."""
    b = Builder("claude-code", version, model)
    by_call: dict[str, Any] = {}
    current: dict[str, Any] = {}
    for event in events:
        kind = event.get("type")
        message = event.get("message") or {}
        if kind == "system" and event.get("subtype") == "init":
            b.agent.extra = {"tools": event.get("tools"), "cwd": event.get("cwd")}
        elif kind == "assistant" and isinstance(message, dict):
            mid = str(message.get("id"))
            step = current.get(mid)
            if step is None:
                step = current[mid] = b.add("agent", "", model_name=message.get("model"),
                                            timestamp=event.get("timestamp"))
            for block in message.get("content") or []:
                _claude_block(step, block, by_call)
        elif kind == "user" and isinstance(message, dict):
            content = message.get("content")
            if isinstance(content, str):
                b.add("user", content, timestamp=event.get("timestamp"))
                continue
            for block in content or []:
                if isinstance(block, dict) and block.get("type") == "tool_result":
                    target = by_call.get(str(block.get("tool_use_id")))
                    if target is not None:
                        results = target.observation.results if target.observation else []
                        results.append(AtifResult(source_call_id=block.get("tool_use_id"),
                                                  content=_text(block.get("content"))))
                        target.observation = AtifObservation(results=results)
    return b


def _claude_block(step: Any, block: Any, by_call: dict[str, Any]) -> None:
    if not isinstance(block, dict):
        return
    if block.get("type") == "text":
        step.message = (step.message + "\n" + block.get("text", "")).strip()
    elif block.get("type") == "thinking":
        step.reasoning_content = (step.reasoning_content or "") + block.get("thinking", "")
    elif block.get("type") == "tool_use":
        call = AtifToolCall(tool_call_id=str(block.get("id")),
                            function_name=str(block.get("name")),
                            arguments=arguments_object(block.get("input")))
        step.tool_calls = [*(step.tool_calls or []), call]
        by_call[call.tool_call_id] = step


CODEX_FUNCTIONS = {"command_execution": "exec_command", "file_change": "apply_patch",
                   "web_search": "web_search"}
"""The function the model called for each kind of Codex item (Codex 0.163's tools: its shell is
`exec_command`, edits are `apply_patch`); an MCP call is `<server>__<tool>`, as Codex names it
to the model. The item's own type is kept in the step's `extra`."""


def codex_function(item: dict[str, Any]) -> str:
    kind = str(item.get("type"))
    if kind == "mcp_tool_call" and item.get("server") and item.get("tool"):
        return f"{item['server']}__{item['tool']}"
    return CODEX_FUNCTIONS.get(kind, kind)


def from_codex(events: list[dict[str, Any]], version: str, model: str | None) -> Builder:
    """Codex's `--json` events. One agent step per model reply as far as the events show it:
    a message opens a step and the tool calls that follow it join that step; a tool call
    with no message of its own opens one. Tool calls are named by the function the model
    called (`codex_function`). Reasoning attaches to the step it precedes; Codex's own
    warnings (`error` items) are system steps."""
    b = Builder("codex", version, model)
    reasoning: str | None = None
    current: Any = None
    for event in events:
        if event.get("type") != "item.completed":
            continue
        item = event.get("item") or {}
        kind, item_id = item.get("type"), str(item.get("id"))
        if kind == "reasoning":
            reasoning = (reasoning or "") + str(item.get("text") or "")
        elif kind == "agent_message":
            current = b.add("agent", str(item.get("text") or ""), model_name=model,
                            reasoning_content=reasoning)
            reasoning = None
        elif kind in ("command_execution", "file_change", "mcp_tool_call", "web_search"):
            args = ({"command": item.get("command")} if kind == "command_execution"
                    else {k: v for k, v in item.items() if k not in ("id", "type", "status")})
            output = item.get("aggregated_output")
            call = AtifToolCall(tool_call_id=item_id, function_name=codex_function(item),
                                arguments=args)
            result = AtifResult(source_call_id=item_id, content=output if isinstance(
                output, str) else json.dumps(item))
            if current is None or reasoning is not None or (
                    current.tool_calls and not current.message):
                current = b.add("agent", "", model_name=model, reasoning_content=reasoning)
                reasoning = None
            current.tool_calls = [*(current.tool_calls or []), call]
            results = current.observation.results if current.observation else []
            current.observation = AtifObservation(results=[*results, result])
            current.extra = {**(current.extra or {}),
                             item_id: {"item_type": kind, "exit_code": item.get("exit_code"),
                                       "status": item.get("status")}}
        elif kind == "error":
            b.add("system", str(item.get("message") or ""))
    return b


OPENHANDS_SKIPPED = frozenset({"recall", "change_agent_state", "agent_state_changed", "null"})


def from_openhands(events: list[dict[str, Any]], version: str, model: str | None) -> Builder:
    """OpenHands' event stream (V0 `event_to_dict` records). Actions that came from one model
    reply (same `model_response` id in their `tool_call_metadata`) are one agent step, its
    tool calls taken from that reply; an observation joins the step of the action it answers
    (`cause`). The system prompt is its `system` action; user messages (the task, the
    auto-continue replies) are user steps; errors the runtime reports are system steps."""
    b = Builder("openhands", version, model)
    by_response: dict[str, Any] = {}
    by_action: dict[int, tuple[Any, str]] = {}
    for event in events:
        kind = event.get("action") or event.get("observation")
        if kind in OPENHANDS_SKIPPED:
            continue
        raw_args = event.get("args")
        args: dict[str, Any] = raw_args if isinstance(raw_args, dict) else {}
        stamp_ = event.get("timestamp")
        if "action" in event:
            if kind == "system":
                b.add("system", _text(args.get("content")), timestamp=stamp_)
            elif event.get("source") == "user":
                b.add("user", _text(args.get("content")), timestamp=stamp_)
            elif event.get("source") == "agent":
                _openhands_action(b, event, args, model, by_response, by_action)
        elif "observation" in event:
            cause = event.get("cause")
            owner = by_action.get(cause) if isinstance(cause, int) else None
            if owner is None:
                if kind == "error":
                    b.add("system", _text(event.get("content")), timestamp=stamp_)
                continue
            step, call_id = owner
            results = step.observation.results if step.observation else []
            results.append(AtifResult(source_call_id=call_id, content=_text(event.get("content"))))
            step.observation = AtifObservation(results=results)
    return b


def _openhands_action(b: Builder, event: dict[str, Any], args: dict[str, Any],
                      model: str | None, by_response: dict[str, Any],
                      by_action: dict[int, tuple[Any, str]]) -> None:
    meta = event.get("tool_call_metadata") if isinstance(event.get("tool_call_metadata"),
                                                         dict) else None
    if meta is None:  # a reply without a tool call: a message to the user
        b.add("agent", _text(args.get("content") or event.get("message")), model_name=model,
              timestamp=event.get("timestamp"))
        return
    response = meta.get("model_response") if isinstance(meta.get("model_response"),
                                                        dict) else {}
    key = str(response.get("id") or meta.get("tool_call_id"))
    reply = ((response.get("choices") or [{}])[0] or {}).get("message") or {}
    step = by_response.get(key)
    if step is None:
        step = by_response[key] = b.add(
            "agent", _text(reply.get("content")), model_name=model,
            timestamp=event.get("timestamp"),
            reasoning_content=reply.get("reasoning_content") or None)
    call_id = str(meta.get("tool_call_id") or f"call_{event.get('id')}")
    raw = next((c.get("function", {}).get("arguments") for c in reply.get("tool_calls") or []
                if isinstance(c, dict) and c.get("id") == call_id), None)
    arguments = arguments_object(raw) if raw is not None else {
        k: v for k, v in args.items() if v not in (None, "", [], {})}
    step.tool_calls = [*(step.tool_calls or []), AtifToolCall(
        tool_call_id=call_id, function_name=str(meta.get("function_name") or event["action"]),
        arguments=arguments)]
    if isinstance(event.get("id"), int):
        by_action[event["id"]] = (step, call_id)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(_text(c.get("text", c.get("content"))) if isinstance(c, dict)
                         else str(c) for c in content)
    return "" if content is None else str(content)
