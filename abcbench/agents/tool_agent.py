"""The built-in agent (`abc`): a tool-calling loop over any OpenAI-compatible endpoint.

It runs in the harness process and only executes its tools in the sandbox, so it needs nothing
installed there. It reaches the model through the host-side gateway (which holds the key,
retries outages and meters tokens). It is told its time budget and turn limit up front, stops
itself before the harness would abandon it, stops a run of broken tool calls, and records every
step (agent/abc-trajectory.json, and agent/trajectory.json in ATIF) with the usage and cost of
each request.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, Json, ValidationError, field_validator

from abcbench import __version__
from abcbench.agents.atif import TRAJECTORY_FILE as ATIF_FILE
from abcbench.agents.atif import save_atif
from abcbench.agents.atif_convert import from_abc
from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.agents.endpoint import resolve_endpoint, secret_values
from abcbench.agents.tools import (
    TOOL_SCHEMAS,
    ToolExecutor,
    ToolOutcome,
    arguments_text,
    describe_call,
)
from abcbench.agents.trajectory import (
    FailedCallRecord,
    ModelCallRecord,
    StepRecord,
    ToolCallRecord,
    Trajectory,
    redact,
    save_trajectory,
)
from abcbench.errors import UserError
from abcbench.gateway.lease import close_trial, gateway_settings, open_trial
from abcbench.llm.client import (
    CapReached,
    ChatClient,
    DeadlineReached,
    EndpointUnavailable,
    LLMError,
    Message,
    RetryPolicy,
)
from abcbench.llm.pricing import load_price_table
from abcbench.results.models import utcnow

TRAJECTORY_FILE = "abc-trajectory.json"
"""The agent's own step log, rewritten after every step; agent/trajectory.json is its ATIF."""
LOG_FILE = "agent.log"

SYSTEM_PROMPT = """\
You are an autonomous software engineer working alone in a Linux sandbox (Debian, root shell).
The repository is at {repo_dir}. Use the tools to explore it, change files and run commands.

Limits: you have {budget_min:.0f} minutes ({budget_sec:.0f} seconds) of wall-clock time and at
most {max_turns} replies. When either runs out you are stopped and the repository is graded as
it stands, so save working code early and keep long commands bounded (use timeout_sec).
Nobody will answer questions. Hidden HTTP tests will build and run the service from the
repository after you finish. When the work is done, call `finish` with a short summary.
"""

NUDGE = "Please continue with a tool call, or call `finish` if the task is complete."


class ToolAgentSettings(BaseModel):
    """`--agent-kwarg` options of the built-in agent (all optional)."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None
    api_key_env: str | None = None
    price_table: str | None = None
    max_turns: int = Field(default=100, ge=1)
    max_output_chars: int = Field(default=16_000, ge=500)
    max_idle_replies: int = Field(default=2, ge=1)
    """Consecutive replies without a tool call before the agent counts as having given up."""
    max_malformed_replies: int = Field(default=3, ge=1)
    """Consecutive replies whose every tool call is broken before the agent stops."""
    max_cost_usd: float | None = None
    max_total_tokens: int | None = None
    gateway_host: str | None = None
    request_timeout_sec: float = Field(default=600.0, gt=0)
    retry_attempts: int = Field(default=8, ge=1)
    retry_base_sec: float = Field(default=2.0, ge=0)
    retry_max_sec: float = Field(default=60.0, ge=0)
    temperature: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    """Sampling seed sent with every request (rollouts give each episode its own)."""
    logprobs: bool | None = None
    """Ask the endpoint for per-token log-probabilities; the gateway records them."""
    top_logprobs: int | None = Field(default=None, ge=0, le=20)
    extra_body: Json[dict[str, Any]] | None = None
    """More request fields as a JSON object, e.g. '{"return_token_ids": true}' (vLLM)."""

    @field_validator("extra_body")
    @classmethod
    def _no_protocol_fields(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        taken = sorted(set(value or {}) & {"model", "messages", "tools", "stream"})
        if taken:
            raise ValueError(f"may not set {', '.join(taken)} (the agent sends those)")
        return value


class ToolCallingAgent(Agent):
    name = "abc"
    wire = "chat"
    version = __version__
    shell_tool: ClassVar[tuple[str, str, dict[str, str]]] = ("bash", "command", {})
    description = ("Built-in tool-calling agent for any OpenAI-compatible endpoint (bash, "
                   "read/write/replace in files, finish); runs on the host.")

    def setup(self, ctx: AgentContext) -> None:
        self.validate()

    def validate(self) -> None:
        if not self.model:
            raise UserError("the abc agent needs --model (the name the endpoint expects)")
        try:
            self.settings = ToolAgentSettings.model_validate(self.kwargs)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise UserError(f"--agent-kwarg {'.'.join(map(str, err['loc']))}: {err['msg']}"
                            ) from None
        self.gateway = gateway_settings(self.kwargs)
        self.endpoint = resolve_endpoint(self.kwargs, self.env)
        self.secrets = secret_values(self.endpoint, self.env)
        self.prices = load_price_table(self.settings.price_table)

    def run(self, ctx: AgentContext) -> AgentResult:
        return _Loop(self, ctx).run()


class _Loop:
    """One run of the agent: the conversation, the trajectory and the stopping rules."""

    def __init__(self, agent: ToolCallingAgent, ctx: AgentContext) -> None:
        assert agent.model is not None
        self.agent, self.ctx, self.s = agent, ctx, agent.settings
        self.model = agent.model
        self.deadline = ctx.started_monotonic + ctx.time_budget_sec
        extra: dict[str, Any] = {}
        if self.s.temperature is not None:
            extra["temperature"] = self.s.temperature
        if self.s.max_tokens is not None:
            extra["max_tokens"] = self.s.max_tokens
        for name in ("seed", "logprobs", "top_logprobs"):
            if getattr(self.s, name) is not None:
                extra[name] = getattr(self.s, name)
        extra.update(self.s.extra_body or {})
        self.session = open_trial(agent.endpoint, self.model, agent.prices, agent.secrets,
                                  agent.gateway, ctx.logs_dir, self.deadline)
        # The gateway retries the provider; the client only rides out a hiccup of its own.
        self.client = ChatClient(
            base_url=self.session.base_url + "/v1", model=self.model,
            api_key=self.session.token, prices=agent.prices,
            request_timeout_sec=self.s.request_timeout_sec * self.s.retry_attempts,
            retry=RetryPolicy(3, 0.5, 2.0), extra_body=extra,
        )
        self.tools = ToolExecutor(ctx.sandbox, ctx.repo_dir, ctx.remaining_sec,
                                  self.s.max_output_chars)
        system = SYSTEM_PROMPT.format(repo_dir=ctx.repo_dir, budget_sec=ctx.time_budget_sec,
                                      budget_min=ctx.time_budget_sec / 60,
                                      max_turns=self.s.max_turns)
        self.messages: list[Message] = [
            {"role": "system", "content": system},
            {"role": "user", "content": ctx.instruction},
        ]
        self.traj = Trajectory(
            agent=agent.name, model=self.model, base_url=agent.endpoint.display_url,
            time_budget_sec=ctx.time_budget_sec, max_turns=self.s.max_turns,
            system_prompt=system, instruction=ctx.instruction,
            price=agent.prices.lookup(self.model),
        )
        self.path = ctx.logs_dir / TRAJECTORY_FILE
        self.log = (ctx.logs_dir / LOG_FILE).open("a", encoding="utf-8")

    def run(self) -> AgentResult:
        """The conversation to its end. A provider outage is raised (after the trajectory is
        saved) as `ModelEndpointUnavailable`: an infrastructure fault, not the agent's."""
        status, message = "error", "the agent stopped unexpectedly"
        outage: EndpointUnavailable | None = None
        try:
            status, message = self._converse()
        except EndpointUnavailable as exc:
            outage = exc
            status, message = "endpoint_unavailable", str(exc)
            self._failed_call(exc.attempts, str(exc))
        except CapReached as exc:
            status, message = "cost_limit", str(exc)
        except LLMError as exc:
            status, message = "error", str(exc)
            self._failed_call(exc.attempts, str(exc))
        except Exception as exc:  # a dead sandbox: still return the usage so far
            status, message = "error", f"{exc.__class__.__name__}: {exc}"
        finally:
            self.client.close()
            summary = close_trial(self.session)
            self.traj.usage = summary.usage
            if self.traj.n_unmetered:
                message += (f" ({self.traj.n_unmetered} model "
                            f"repl{'y' if self.traj.n_unmetered == 1 else 'ies'} carried no "
                            "usage block: their tokens are unknown, not counted)")
            self.traj.exit_status, self.traj.message = status, message
            self.traj.finished_at = self.traj.finished_at or utcnow()
            self._save()
            atif = from_abc(self.traj, __version__).finish(
                summary.usage, [], notes=f"exit status {status}: {message}"[:500],
                extra={"exit_status": status, "gateway": summary.model_dump(mode="json")})
            save_atif(self.ctx.logs_dir / ATIF_FILE, atif, self.agent.secrets)
            self._log(f"exit: {status}: {message}")
            self.log.close()
        if outage is not None:
            raise outage
        return AgentResult(
            exit_status=status, usage=summary.usage, n_steps=len(self.traj.steps),
            trajectory_file=f"{self.ctx.logs_dir.name}/{ATIF_FILE}",
            message=redact(message, self.agent.secrets),
        )

    def _failed_call(self, attempts: list[Any], error: str) -> None:
        self.traj.failed_call = FailedCallRecord(
            started_sec=round(time.monotonic() - self.ctx.started_monotonic, 3),
            error=redact(error, self.agent.secrets), attempts=attempts)

    def _converse(self) -> tuple[str, str]:
        idle = malformed = 0
        for turn in range(1, self.s.max_turns + 1):
            if self.ctx.remaining_sec() <= 0:
                return "budget", "the time budget ran out"
            started = time.monotonic() - self.ctx.started_monotonic
            try:
                reply = self.client.complete(self.messages, TOOL_SCHEMAS, deadline=self.deadline)
            except DeadlineReached as exc:
                return "budget", str(exc)
            self.traj.usage = self.traj.usage + reply.usage
            self.traj.n_unmetered += reply.usage_missing
            assistant = _assistant_message(reply.message)
            self.messages.append(assistant)
            step = StepRecord(
                index=turn, started_sec=round(started, 3), assistant=reply.message,
                model_call=ModelCallRecord(
                    duration_sec=reply.duration_sec, attempts=reply.attempts,
                    finish_reason=reply.finish_reason, usage=reply.usage,
                    usage_missing=reply.usage_missing, priced=reply.priced,
                    response_id=reply.response_id),
            )
            self.traj.steps.append(step)
            calls = assistant.get("tool_calls") or []
            self._log(f"turn {turn}: {len(calls)} tool call(s), {reply.usage.input_tokens} in / "
                      f"{reply.usage.output_tokens} out tokens, {reply.duration_sec:.1f}s")
            if not calls:
                idle += 1
                if idle >= self.s.max_idle_replies:
                    self._save()
                    return "gave_up", (f"{idle} replies in a row without a tool call: "
                                       f"{_first_line(assistant.get('content'))}")
                step.note = NUDGE
                self.messages.append({"role": "user", "content": NUDGE})
                self._save()
                continue
            idle = 0
            outcome = self._run_calls(step, calls, turn)
            self._save()
            if outcome is not None:
                return outcome
            malformed = malformed + 1 if all(c.malformed for c in step.tool_calls) else 0
            if malformed >= self.s.max_malformed_replies:
                return "malformed_output", (
                    f"{malformed} replies in a row whose every tool call was malformed "
                    f"(last: {step.tool_calls[-1].output[:200]})")
        return "turn_limit", f"stopped after {self.s.max_turns} turns"

    def _run_calls(self, step: StepRecord, calls: list[dict[str, Any]],
                   turn: int) -> tuple[str, str] | None:
        """Execute every call of one reply; a `finish` or the budget ends the loop."""
        result: tuple[str, str] | None = None
        for n, call in enumerate(calls):
            function = call.get("function") or {}
            name, raw = str(function.get("name", "")), function.get("arguments")
            call_id = str(call.get("id") or f"call_{turn}_{n}")
            if result is not None or self.ctx.remaining_sec() <= 0:
                result = result or ("budget", "the time budget ran out")
                outcome = ToolOutcome("not run: the agent is stopping", ok=False)
            else:
                outcome = self.tools.execute(name, raw)
                self._log(f"  {describe_call(name, raw)} -> "
                          f"{'ok' if outcome.ok else 'failed'} ({outcome.duration_sec:.1f}s)")
                if outcome.finished:
                    result = ("finished", outcome.output)
                elif outcome.timed_out and self.ctx.remaining_sec() <= 0:
                    result = ("budget", "the time budget ran out during a command")
            content = outcome.output
            if n == len(calls) - 1 and result is None:
                content += (f"\n[{max(self.ctx.remaining_sec(), 0):.0f}s and "
                            f"{self.s.max_turns - turn} turns left]")
            self.messages.append({"role": "tool", "tool_call_id": call_id, "content": content})
            step.tool_calls.append(ToolCallRecord(
                id=call_id, name=name, arguments=arguments_text(raw), output=content,
                ok=outcome.ok, truncated=outcome.truncated, timed_out=outcome.timed_out,
                duration_sec=outcome.duration_sec, malformed=outcome.malformed))
        return result

    def _save(self) -> None:
        save_trajectory(self.path, self.traj, self.agent.secrets)

    def _log(self, line: str) -> None:
        elapsed = time.monotonic() - self.ctx.started_monotonic
        self.log.write(redact(f"[{elapsed:7.1f}s] {line}\n", self.agent.secrets))
        self.log.flush()


def _assistant_message(message: Message) -> Message:
    """What goes back to the endpoint: role, content and tool calls only (providers reject
    their own extra reply fields, such as reasoning_content, when sent back)."""
    out: Message = {"role": "assistant", "content": message.get("content")}
    calls = message.get("tool_calls")
    if calls:
        out["tool_calls"] = [
            {"id": c.get("id"), "type": "function", "function": c.get("function", {})}
            for c in calls if isinstance(c, dict)
        ]
    return out


def _first_line(text: object) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0][:200] if lines else "(empty reply)"


