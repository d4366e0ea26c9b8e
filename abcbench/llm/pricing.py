"""What a model costs: a per-million-token price table, overridable by the user.

Costs are computed per request from the usage the provider reports, so a run's cost is the sum
of what was actually billed-for, not an estimate from message lengths. List prices change; the
table records when it was last checked, and a user file (`--agent-kwarg price_table=path` or
`ABCBENCH_PRICES`) replaces or extends any entry without a code change. A model missing from
the table costs 0.0 and is reported as unpriced, never guessed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from abcbench.errors import UserError
from abcbench.results.models import Usage

PRICES_ENV = "ABCBENCH_PRICES"
PRICES_CHECKED = "2025-11"
"""When the built-in list prices were last compared with the providers' pages."""


class ModelPrice(BaseModel):
    """USD per million tokens. `cached_input` applies to prompt tokens served from a cache."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cached_input: float | None = Field(default=None, ge=0)

    def cost(self, usage: Usage) -> float:
        """`usage.input_tokens` includes the cached ones (OpenAI's convention)."""
        cached = min(usage.cached_tokens, usage.input_tokens)
        cached_rate = self.input if self.cached_input is None else self.cached_input
        total = (
            (usage.input_tokens - cached) * self.input
            + cached * cached_rate
            + usage.output_tokens * self.output
        ) / 1_000_000
        return round(total, 8)


def _p(inp: float, out: float, cached: float | None = None) -> ModelPrice:
    return ModelPrice(input=inp, output=out, cached_input=cached)


DEFAULT_PRICES: dict[str, ModelPrice] = {
    # OpenAI
    "gpt-4o": _p(2.50, 10.00, 1.25),
    "gpt-4o-mini": _p(0.15, 0.60, 0.075),
    "gpt-4.1": _p(2.00, 8.00, 0.50),
    "gpt-4.1-mini": _p(0.40, 1.60, 0.10),
    "gpt-4.1-nano": _p(0.10, 0.40, 0.025),
    "gpt-5": _p(1.25, 10.00, 0.125),
    "gpt-5-mini": _p(0.25, 2.00, 0.025),
    "gpt-5-nano": _p(0.05, 0.40, 0.005),
    "o3": _p(2.00, 8.00, 0.50),
    "o4-mini": _p(1.10, 4.40, 0.275),
    # Anthropic (cached = cache reads)
    "claude-opus-4": _p(15.00, 75.00, 1.50),
    "claude-opus-4-5": _p(5.00, 25.00, 0.50),
    "claude-sonnet-4": _p(3.00, 15.00, 0.30),
    "claude-3-7-sonnet": _p(3.00, 15.00, 0.30),
    "claude-haiku-4-5": _p(1.00, 5.00, 0.10),
    "claude-3-5-haiku": _p(0.80, 4.00, 0.08),
    # Google
    "gemini-2.5-pro": _p(1.25, 10.00, 0.125),
    "gemini-2.5-flash": _p(0.30, 2.50, 0.075),
    # DeepSeek
    "deepseek-chat": _p(0.28, 0.42, 0.028),
    "deepseek-reasoner": _p(0.28, 0.42, 0.028),
}


class PriceTable:
    """Looks a model up by exact name, then without a `provider/` prefix, then by the longest
    table entry its name starts with (dated snapshots such as `gpt-4o-2024-08-06`)."""

    def __init__(self, prices: dict[str, ModelPrice]) -> None:
        self.prices = dict(prices)

    def lookup(self, model: str) -> ModelPrice | None:
        candidates = [model, model.rsplit("/", 1)[-1]]
        for name in candidates:
            if name in self.prices:
                return self.prices[name]
        for name in candidates:
            prefixes = [key for key in self.prices if name.startswith(key + "-")]
            if prefixes:
                return self.prices[max(prefixes, key=len)]
        return None

    def priced(self, model: str, usage: Usage) -> Usage:
        """`usage` with `cost_usd` filled in (0.0 for an unknown model)."""
        price = self.lookup(model)
        cost = price.cost(usage) if price is not None else 0.0
        # Validated (not model_copy): a non-finite cost must fail here, not when read back.
        return Usage.model_validate({**usage.model_dump(), "cost_usd": cost})


class _PriceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    models: dict[str, ModelPrice]


def read_price_file(path: Path) -> dict[str, ModelPrice]:
    """A YAML or JSON file: `{models: {name: {input, output, cached_input}}}` or the bare
    mapping of names to prices."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"price table {path}: {exc.strerror}; fix the path given by "
                        f"--agent-kwarg price_table or ${PRICES_ENV}") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"price table {path} is not valid JSON/YAML: {exc}") from None
    if isinstance(data, dict) and "models" not in data:
        data = {"models": data}
    try:
        return _PriceFile.model_validate(data).models
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise UserError(
            f"price table {path}: {where}: {err['msg']} (expected name: {{input: USD/Mtok, "
            "output: USD/Mtok, cached_input: USD/Mtok}, finite numbers >= 0)"
        ) from None


def load_price_table(path: str | Path | None = None) -> PriceTable:
    """The built-in table, overlaid by `path` or else by the file named in $ABCBENCH_PRICES."""
    prices = dict(DEFAULT_PRICES)
    source = path or os.environ.get(PRICES_ENV)
    if source:
        prices.update(read_price_file(Path(source).expanduser()))
    return PriceTable(prices)
