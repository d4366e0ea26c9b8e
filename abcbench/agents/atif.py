"""Every agent's trajectory in the Agent Trajectory Interchange Format (Harbor's ATIF-v1.4).

Agents log in their own shapes (the built-in agent's steps, mini-swe-agent's messages, Claude
Code's stream-json, Codex's `--json` events). `agent/trajectory.json` is always ATIF, converted
from the agent's own log, so viewers and training pipelines read one format. Token metrics are
the model gateway's: each metered request's usage is attached to the agent step it produced
when the steps and the requests pair up one to one, and the totals (`final_metrics`) are the
gateway's in every case; the per-request figures are also kept in `extra.gateway_requests`.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from abcbench.results.models import Usage

ATIF_VERSION = "ATIF-v1.4"
TRAJECTORY_FILE = "trajectory.json"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AtifMetrics(_M):
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cached_tokens: int | None = None
    cost_usd: float | None = None
    extra: dict[str, Any] | None = None


class AtifToolCall(_M):
    tool_call_id: str
    function_name: str
    arguments: dict[str, Any]


class AtifResult(_M):
    source_call_id: str | None = None
    content: str | None = None


class AtifObservation(_M):
    results: list[AtifResult]


class AtifStep(_M):
    step_id: int
    timestamp: str | None = None
    source: Literal["system", "user", "agent"]
    model_name: str | None = None
    message: str
    reasoning_content: str | None = None
    tool_calls: list[AtifToolCall] | None = None
    observation: AtifObservation | None = None
    metrics: AtifMetrics | None = None
    extra: dict[str, Any] | None = None


class AtifAgent(_M):
    name: str
    version: str
    model_name: str | None = None
    extra: dict[str, Any] | None = None


class AtifFinalMetrics(_M):
    total_prompt_tokens: int | None = None
    total_completion_tokens: int | None = None
    total_cached_tokens: int | None = None
    total_cost_usd: float | None = None
    total_steps: int | None = None
    extra: dict[str, Any] | None = None


class AtifTrajectory(_M):
    schema_version: str = ATIF_VERSION
    session_id: str
    agent: AtifAgent
    steps: list[AtifStep]
    notes: str | None = None
    final_metrics: AtifFinalMetrics | None = None
    extra: dict[str, Any] | None = None


def metrics_of(usage: Usage) -> AtifMetrics:
    """ATIF counts cached tokens inside prompt_tokens, as `Usage` does."""
    return AtifMetrics(prompt_tokens=usage.input_tokens, completion_tokens=usage.output_tokens,
                       cached_tokens=usage.cached_tokens, cost_usd=usage.cost_usd)


def arguments_object(raw: object) -> dict[str, Any]:
    """ATIF wants an object; broken argument text is kept under `_raw`."""
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError:
        return {"_raw": raw}
    return value if isinstance(value, dict) else {"_raw": raw}


def stamp(value: datetime | str | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


class Builder:
    """Accumulates steps with consecutive ids; `finish` attaches the gateway's metrics."""

    def __init__(self, agent: str, version: str, model: str | None) -> None:
        self.agent = AtifAgent(name=agent, version=version, model_name=model)
        self.steps: list[AtifStep] = []

    def add(self, source: Literal["system", "user", "agent"], message: str | None,
            **fields: Any) -> AtifStep:
        step = AtifStep(step_id=len(self.steps) + 1, source=source, message=message or "",
                        **fields)
        self.steps.append(step)
        return step

    def prepend(self, source: Literal["system", "user", "agent"], message: str) -> None:
        """Put a step first (the prompt, when the agent's own log omits it)."""
        self.steps.insert(0, AtifStep(step_id=1, source=source, message=message))
        for n, step in enumerate(self.steps, start=1):
            step.step_id = n

    def finish(self, usage: Usage | None, requests: list[Usage], session_id: str | None = None,
               notes: str | None = None, extra: dict[str, Any] | None = None) -> AtifTrajectory:
        agent_steps = [s for s in self.steps if s.source == "agent"]
        unmeasured = all(s.metrics is None for s in agent_steps)
        if requests and unmeasured and len(requests) == len(agent_steps):
            for step, used in zip(agent_steps, requests, strict=True):
                step.metrics = metrics_of(used)
        root_extra = dict(extra or {})
        if requests:
            root_extra["gateway_requests"] = [metrics_of(u).model_dump(exclude_none=True)
                                              for u in requests]
        final = None
        if usage is not None:
            final = AtifFinalMetrics(
                total_prompt_tokens=usage.input_tokens,
                total_completion_tokens=usage.output_tokens,
                total_cached_tokens=usage.cached_tokens, total_cost_usd=usage.cost_usd,
                total_steps=len(self.steps), extra={"n_requests": usage.n_requests})
        return AtifTrajectory(session_id=session_id or str(uuid.uuid4()), agent=self.agent,
                              steps=self.steps, notes=notes, final_metrics=final,
                              extra=root_extra or None)


def gateway_requests(logs_dir: Path) -> list[Usage]:
    """Usage of each metered request of the trial, in order, from the gateway's record."""
    path = logs_dir / "gateway.jsonl"
    if not path.is_file():
        return []
    out: list[Usage] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("status") == 200 and isinstance(record.get("usage"), dict):
            out.append(Usage.model_validate(record["usage"]))
    return out


def save_atif(path: Path, trajectory: AtifTrajectory, secrets: list[str]) -> None:
    from abcbench.agents.trajectory import write_redacted

    write_redacted(path, trajectory.model_dump_json(indent=2, exclude_none=True) + "\n",
                   secrets)
