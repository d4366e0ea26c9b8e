"""How an LLM agent uses the gateway for one trial: settings, open, close, and the verdict on
outages. Every LLM agent (host-side or installed) goes through these three calls, so they all
take the provider, the caps and the retry settings the same way.

`--agent-kwarg` options read here: `max_cost_usd`, `max_total_tokens` (per-trial caps; the
gateway refuses further requests once one is reached), `gateway_host` (the address the gateway
listens on for a sandbox; default: the sandbox's default gateway), `retry_attempts`,
`retry_base_sec`, `retry_max_sec`, `request_timeout_sec` (upstream retries and timeout).
"""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from abcbench.agents.endpoint import Endpoint
from abcbench.errors import ModelEndpointUnavailable, UserError
from abcbench.gateway.relay import route_for
from abcbench.gateway.server import shared_gateway
from abcbench.gateway.session import Caps, GatewaySummary, TrialSession
from abcbench.llm.client import RetryPolicy
from abcbench.llm.pricing import PriceTable

GATEWAY_KWARGS = frozenset({"max_cost_usd", "max_total_tokens", "gateway_host",
                            "retry_attempts", "retry_base_sec", "retry_max_sec",
                            "request_timeout_sec"})


class GatewaySettings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    max_cost_usd: float | None = Field(default=None, gt=0)
    max_total_tokens: int | None = Field(default=None, ge=1)
    gateway_host: str | None = None
    retry_attempts: int = Field(default=6, ge=1)
    retry_base_sec: float = Field(default=2.0, ge=0)
    retry_max_sec: float = Field(default=60.0, ge=0)
    request_timeout_sec: float = Field(default=600.0, gt=0)

    @field_validator("max_cost_usd", "retry_base_sec", "retry_max_sec", "request_timeout_sec")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


def gateway_settings(kwargs: dict[str, str]) -> GatewaySettings:
    try:
        return GatewaySettings.model_validate(kwargs)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise UserError(f"--agent-kwarg {'.'.join(map(str, err['loc']))}: {err['msg']}"
                        ) from None


def open_trial(endpoint: Endpoint, model: str, prices: PriceTable, secrets: list[str],
               settings: GatewaySettings, logs_dir: Path | None, deadline: float | None,
               host: str = "127.0.0.1") -> TrialSession:
    """A registered session; its `token` is the agent's API key, its `base_url` the root.
    On a Ray node the resolved key is the run's relay token: the session then forwards to
    the driver's relay, which holds the key (`relay.py`)."""
    route = route_for(endpoint.api_key)
    if route is not None:
        endpoint = Endpoint(base_url=route.upstream, api_key=route.token,
                            key_var=endpoint.key_var)
    session = TrialSession(
        upstream=endpoint, model=model, prices=prices, logs_dir=logs_dir, secrets=secrets,
        caps=Caps(settings.max_cost_usd, settings.max_total_tokens),
        retry=RetryPolicy(settings.retry_attempts, settings.retry_base_sec,
                          settings.retry_max_sec),
        deadline=deadline, request_timeout_sec=settings.request_timeout_sec,
        via=route.url if route is not None else None)
    return shared_gateway().open(session, host)


def close_trial(session: TrialSession) -> GatewaySummary:
    """Stop accepting the token; write and return the trial's totals, once every reply the
    agent got is counted."""
    shared_gateway().close(session)
    session.wait_recorded()
    return session.write_summary()


def raise_if_outage(summary: GatewaySummary) -> None:
    """The agent's last model request failed for good on the provider's side: the trial says
    nothing about the model, it is an infrastructure fault (retried by the error policy)."""
    if summary.outage:
        raise ModelEndpointUnavailable(summary.outage)
