"""An ABC-Bench task as a SkyRL-gym text environment (`skyrl_gym.envs.BaseTextEnv`).

SkyRL's trainer samples the policy itself (vLLM/SGLang engines inside the Ray job, so it keeps
its own token ids and log-probs) and calls `env.init(prompt)` then `env.step(llm_text)` until
`done`. Here `init` starts an episode (`abcbench.rollouts.episode.Episode.reset`) and `step`
parses the tool calls the model wrote (`<tool_call>{"name": ..., "arguments": {...}}</tool_call>`,
the Hermes/Qwen chat-template format; each block read once with `json`), runs them in the
episode's sandbox and returns the tool responses as the next user turn. The episode ends when
the model calls `finish`, when a call finds the budget spent, or after `max_turns`; that step
grades the repository and returns the reward. An infrastructure fault ends with reward 0.0 and
`metadata["valid"] = False`: SkyRL has no "drop" signal, so filter on it.

    register_env()   # once per process (Ray worker): skyrl_gym.make("abcbench", ...)
    env = skyrl_gym.make("abcbench", env_config={"output_dir": "runs"},
                         extras={"task_id": "python-flask-bookshelf-loans", "seed": 3})
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from skyrl_gym.envs.base_text_env import (  # type: ignore[import-untyped]
    BaseTextEnv,
    BaseTextEnvStepOutput,
)

from abcbench.agents.tools import FINISH
from abcbench.rollouts.episode import Action, Episode, EpisodeFault
from abcbench.rollouts.models import EpisodeRecord

ENV_ID = "abcbench"
OPEN, CLOSE = "<tool_call>", "</tool_call>"
MAX_CALLS_PER_TURN = 8
"""Tool calls run from one reply; more are answered with an error, not run."""
FORMAT = (
    "\n\nCall tools by writing, for each call, <tool_call>{\"name\": NAME, \"arguments\": "
    "{...}}</tool_call> (JSON). Tools:\n{tools}\nCall `finish` when the work is done; the "
    "repository is then built, deployed and tested.")


def register_env() -> None:
    """Register `abcbench` with skyrl_gym (idempotent)."""
    import skyrl_gym

    if ENV_ID not in skyrl_gym.registry:
        skyrl_gym.register(id=ENV_ID, entry_point="abcbench.rollouts.skyrl:AbcBenchEnv")


def parse_tool_calls(text: str) -> list[tuple[str, Any] | str]:
    """Each `<tool_call>` block as (name, arguments), or an error text for a broken one.
    The JSON is read by the JSON decoder from the opening tag on, so a closing tag inside a
    JSON string (a command that prints one) does not cut the call short."""
    out: list[tuple[str, Any] | str] = []
    decoder = json.JSONDecoder()
    pos = 0
    while (start := text.find(OPEN, pos)) != -1:
        begin = start + len(OPEN)
        begin += len(text[begin:]) - len(text[begin:].lstrip())
        try:
            call, end = decoder.raw_decode(text, begin)
        except ValueError as exc:
            out.append(f"error: the tool call is not valid JSON ({exc})")
            close = text.find(CLOSE, begin)
            if close == -1:
                break
            pos = close + len(CLOSE)
            continue
        after = end + len(text[end:]) - len(text[end:].lstrip())
        pos = after + len(CLOSE) if text.startswith(CLOSE, after) else after
        if not isinstance(call, dict) or not isinstance(call.get("name"), str):
            out.append('error: a tool call is a JSON object {"name": ..., "arguments": {...}}')
            continue
        out.append((call["name"], call.get("arguments")))
    return out


def _get(config: Any, key: str, default: Any = None) -> Any:
    """A value of SkyRL's env_config (an OmegaConf DictConfig or a plain dict)."""
    if config is None:
        return default
    getter = getattr(config, "get", None)
    return getter(key, default) if callable(getter) else default


class AbcBenchEnv(BaseTextEnv):  # type: ignore[misc]
    """env_config: output_dir, tasks_dir, agent_timeout_sec, test_timeout_sec,
    run_id_prefix (each env instance is a run of its own: `<prefix>-<random>`).
    extras (per sample): task_id (required), seed, max_turns (default 30)."""

    def __init__(self, env_config: Any = None, extras: dict[str, Any] | None = None) -> None:
        super().__init__()
        extras = extras or {}
        if "task_id" not in extras:
            raise ValueError("extras.task_id is required (an ABC-Bench task id)")
        self.task_id = str(extras["task_id"])
        self.seed = int(extras["seed"]) if extras.get("seed") is not None else None
        self.max_turns = int(extras.get("max_turns", 30))
        tasks_dir = _get(env_config, "tasks_dir")
        agent_timeout = _get(env_config, "agent_timeout_sec")
        test_timeout = _get(env_config, "test_timeout_sec")
        prefix = _get(env_config, "run_id_prefix", "skyrl")
        self.episode = Episode(
            output_dir=Path(str(_get(env_config, "output_dir", "runs"))),
            run_id=f"{prefix}-{secrets.token_hex(4)}",  # one run folder per env instance
            tasks_dir=Path(str(tasks_dir)) if tasks_dir else None,
            agent_timeout_sec=float(agent_timeout) if agent_timeout else None,
            test_timeout_sec=float(test_timeout) if test_timeout else None)
        self.record: EpisodeRecord | None = None
        self.fault: str | None = None

    def init(self, prompt: list[dict[str, Any]] | None = None
             ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The dataset's prompt if it has one, else the task's instruction with the tool
        format; the episode's sandbox is ready when this returns."""
        try:
            first = self.episode.reset(self.task_id, self.seed)
        except EpisodeFault as exc:  # could not start: an invalid episode, ended at once
            self.fault = str(exc)
            return list(prompt or []), {"valid": False, "error": str(exc)}
        if not prompt:
            tools = "\n".join(json.dumps(t["function"]) for t in first.tools)
            prompt = [{"role": "user", "content": first.instruction + FORMAT.replace(
                "{tools}", tools)}]
        return list(prompt), {"episode_id": first.episode_id, "startup_sec": first.startup_sec}

    def step(self, action: str) -> BaseTextEnvStepOutput:
        self.turns += 1
        if self.fault is not None:
            return BaseTextEnvStepOutput(observations=[], reward=0.0, done=True,
                                         metadata={"valid": False, "error": self.fault})
        calls = parse_tool_calls(action)
        responses: list[str] = []
        done = False
        if not calls:
            responses.append("error: no <tool_call> in the reply; call a tool, or `finish`")
        for n, call in enumerate(calls):
            if isinstance(call, str) or n >= MAX_CALLS_PER_TURN:
                responses.append(call if isinstance(call, str) else
                                 f"error: not run (at most {MAX_CALLS_PER_TURN} calls a turn)")
                continue
            obs = self.episode.step(Action(call[0], call[1]))
            responses.append(obs.output)
            if obs.done or call[0] == FINISH:
                done = True
                break
        if done or self.turns >= self.max_turns:
            return self._finish()
        text = "\n".join(f"<tool_response>\n{r}\n</tool_response>" for r in responses)
        return BaseTextEnvStepOutput(observations=[{"role": "user", "content": text}],
                                     reward=0.0, done=False, metadata={})

    def _finish(self) -> BaseTextEnvStepOutput:
        self.record = record = self.episode.finish()
        report = record.report
        return BaseTextEnvStepOutput(
            observations=[], reward=record.reward or 0.0, done=True,
            metadata={"valid": record.valid, "resolved": report.resolved,
                      "n_passed": report.n_passed, "n_tests": report.n_tests,
                      "failure_class": report.failure_class, "episode_id": record.episode_id})

    def get_metrics(self) -> dict[str, Any]:
        report = self.record.report if self.record else None
        return {"turns": self.turns, "resolved": float(bool(report and report.resolved)),
                "valid": float(bool(self.record and self.record.valid))}

    def close(self) -> None:
        self.episode.close()
