"""An episode's record, read from the trial folder the harness wrote: its result (the
verdict), the gateway's exchanges (`agent/gateway.jsonl`: the messages the model saw) and the
gateway's token records (`agent/completions.jsonl`). Nothing is recomputed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from abcbench.gateway.logprobs import COMPLETIONS_FILE, CompletionTokens
from abcbench.gateway.session import EXCHANGES_FILE
from abcbench.results.models import TrialResult
from abcbench.rollouts.models import EpisodeRecord
from abcbench.rollouts.reward import RewardKind, reward_report

MAX_LOG_BYTES = 1 << 30
"""A gateway log larger than this is not read (an episode that large is not a training
sample); its record then carries no messages and no completions, and says so in `error`."""


def group_id(run_id: str, task_id: str) -> str:
    return f"{run_id}/{task_id}"


def _lines(path: Path) -> list[str]:
    if not path.is_file() or path.stat().st_size > MAX_LOG_BYTES:
        return []
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def read_completions(agent_dir: Path) -> tuple[list[CompletionTokens], int]:
    """The token records in order, and how many lines could not be read (a write cut short,
    e.g. by a full disk): those are left out and counted, never guessed."""
    out, unreadable = [], 0
    for line in _lines(agent_dir / COMPLETIONS_FILE):
        if not line.strip():
            continue
        try:
            out.append(CompletionTokens.model_validate_json(line))
        except ValueError:
            unreadable += 1
    return out, unreadable


def last_request(agent_dir: Path) -> dict[str, Any] | None:
    """The last chat-completion request that got an answer (status 200), as sent."""
    for line in reversed(_lines(agent_dir / EXCHANGES_FILE)):
        try:
            exchange = json.loads(line)
        except ValueError:
            continue
        request = exchange.get("request") if isinstance(exchange, dict) else None
        if (exchange.get("wire") == "chat" and exchange.get("status") == 200
                and isinstance(request, dict)):
            return request
    return None


def conversation(agent_dir: Path, completions: list[CompletionTokens]
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(messages, tools): the last request's messages plus the reply it got."""
    request = last_request(agent_dir)
    if request is None:
        return [], []
    messages = [m for m in request.get("messages") or [] if isinstance(m, dict)]
    tools = [t for t in request.get("tools") or [] if isinstance(t, dict)]
    if completions and completions[-1].choices and completions[-1].choices[0].message:
        messages.append(completions[-1].choices[0].message)
    return messages, tools


def episode_record(result: TrialResult, trial_dir: Path,
                   kind: RewardKind = RewardKind.resolved) -> EpisodeRecord:
    agent_dir = trial_dir / (result.logs.agent or "agent")
    completions, unreadable = read_completions(agent_dir)
    messages, tools = conversation(agent_dir, completions)
    report = reward_report(result, kind)
    seed = result.agent.kwargs.get("seed")
    return EpisodeRecord(
        run_id=result.run_id, group_id=group_id(result.run_id, result.task_id),
        episode_id=result.trial_name, index=result.attempt - 1,
        seed=int(seed) if seed is not None and seed.lstrip("-").isdigit() else None,
        task_id=result.task_id, task_hash=result.task_hash, agent=result.agent.name,
        model=result.agent.model, messages=messages, tools=tools, completions=completions,
        n_unreadable_completions=unreadable, report=report, reward=report.reward,
        valid=report.valid, usage=result.usage,
        timings=dict(result.timings), started_at=result.started_at.isoformat(),
        finished_at=result.finished_at.isoformat() if result.finished_at else None)
