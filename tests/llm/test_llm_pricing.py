"""The price table: lookups, cost arithmetic, user overrides from YAML/JSON and the env var."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from abcbench.errors import UserError
from abcbench.llm.pricing import PRICES_ENV, ModelPrice, load_price_table
from abcbench.results.models import Usage


def test_lookup_exact_provider_prefix_and_dated_snapshot() -> None:
    table = load_price_table()
    assert table.lookup("gpt-4o") == table.prices["gpt-4o"]
    assert table.lookup("openai/gpt-4o-mini") == table.prices["gpt-4o-mini"]
    assert table.lookup("gpt-4o-mini-2024-07-18") == table.prices["gpt-4o-mini"]
    assert table.lookup("claude-sonnet-4-20250514") == table.prices["claude-sonnet-4"]
    assert table.lookup("my-unknown-model") is None


def test_cost_counts_cached_tokens_at_the_cached_rate() -> None:
    price = ModelPrice(input=2.0, output=8.0, cached_input=0.5)
    usage = Usage(input_tokens=1_000_000, cached_tokens=250_000, output_tokens=500_000)
    assert price.cost(usage) == pytest.approx(0.75 * 2 + 0.25 * 0.5 + 0.5 * 8)
    no_cache_rate = ModelPrice(input=2.0, output=8.0)
    assert no_cache_rate.cost(usage) == pytest.approx(2 + 4)


def test_unknown_model_costs_zero() -> None:
    usage = load_price_table().priced("mystery", Usage(input_tokens=10**6, output_tokens=10**6))
    assert usage.cost_usd == 0.0 and usage.input_tokens == 10**6


def test_yaml_file_overrides_and_extends(tmp_path: Path) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text("models:\n  gpt-4o: {input: 1, output: 1}\n  local-q4: {input: 0.01, "
                    "output: 0.02}\n")
    table = load_price_table(path)
    assert table.prices["gpt-4o"] == ModelPrice(input=1, output=1)
    assert table.lookup("local-q4") == ModelPrice(input=0.01, output=0.02)
    assert table.lookup("claude-opus-4") is not None  # defaults stay


def test_json_file_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"house-model": {"input": 3, "output": 4, "cached_input": 1}}))
    monkeypatch.setenv(PRICES_ENV, str(path))
    assert load_price_table().lookup("house-model") == ModelPrice(input=3, output=4,
                                                                  cached_input=1)


def test_bad_file_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text("gpt-4o: {input: -1, output: 2}\n")
    with pytest.raises(UserError, match="gpt-4o"):
        load_price_table(path)
    with pytest.raises(UserError, match="does-not-exist"):
        load_price_table(tmp_path / "does-not-exist.yaml")
