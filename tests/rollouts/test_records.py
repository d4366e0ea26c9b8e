"""Rewards, group statistics, and the files trainers load (JSON Lines, Parquet, `datasets`)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.gateway.logprobs import ChoiceTokens, CompletionTokens, TokenLogprob, TopLogprob
from abcbench.results.models import (
    AgentInfo,
    FailureClass,
    TestOutcome,
    TestResult,
    TrialResult,
)
from abcbench.rollouts.models import EpisodeRecord
from abcbench.rollouts.output import parquet_schema, read_jsonl, write_jsonl, write_parquet
from abcbench.rollouts.reward import RewardKind, reward_report
from abcbench.rollouts.stats import EPS, advantages, group_stats

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def result(resolved: bool = False, failure: FailureClass | None = None, passed: int = 0,
           total: int = 0) -> TrialResult:
    tests = [TestResult(name=f"t{n}", outcome=TestOutcome.passed if n < passed
                        else TestOutcome.failed) for n in range(total)]
    return TrialResult(run_id="r", trial_name="t__1", task_id="t", task_hash="h", attempt=1,
                       agent=AgentInfo(name="abc", kwargs={"seed": "4"}), language="python",
                       framework="flask", task_type="logic", category="c", resolved=resolved,
                       failure_class=failure, tests=tests, n_tests=total, n_passed=passed)


def test_sample_std_grpo_advantages() -> None:
    mean, std, advs = advantages([1.0, 1.0, 0.0, 0.0])
    assert mean == 0.5 and std == pytest.approx(math.sqrt(1 / 3))
    assert advs == pytest.approx([0.5 / (math.sqrt(1 / 3) + EPS)] * 2
                                 + [-0.5 / (math.sqrt(1 / 3) + EPS)] * 2)
    assert advantages([1.0, None, 0.0]) == (0.5, pytest.approx(math.sqrt(0.5)),
                                            [pytest.approx(0.5 / (math.sqrt(0.5) + EPS)),
                                             None, pytest.approx(-0.5 / (math.sqrt(0.5) + EPS))])
    assert advantages([1.0, 1.0, 1.0]) == (1.0, 0.0, [0.0, 0.0, 0.0])  # no signal, no NaN
    assert advantages([0.3, None]) == (0.3, 0.0, [0.0, None])
    assert advantages([None, None]) == (None, None, [None, None])
    assert advantages([]) == (None, None, [])


def test_reward_reports_follow_the_verdict() -> None:
    ok = reward_report(result(True, None, 3, 3))
    assert (ok.reward, ok.valid, ok.resolved, ok.n_passed) == (1.0, True, True, 3)
    assert [t.passed for t in ok.tests] == [True] * 3
    half = result(False, FailureClass.tests_failed, 1, 2)
    assert reward_report(half).reward == 0.0
    assert reward_report(half, RewardKind.pass_rate).reward == 0.5
    assert reward_report(result(False, FailureClass.build_failed), RewardKind.pass_rate
                         ).reward == 0.0
    infra = reward_report(result(False, FailureClass.infrastructure), RewardKind.pass_rate)
    assert (infra.reward, infra.valid, infra.infrastructure) == (None, False, True)


def record(index: int, reward: float | None, with_tokens: bool = True) -> EpisodeRecord:
    tokens = [TokenLogprob(token="ab", logprob=-0.5, token_id=7, top_logprobs=[
        TopLogprob(token="ab", logprob=-0.5, token_id=7), TopLogprob(token="x", logprob=-2)])]
    completion = CompletionTokens(
        started_at="2026-01-01T00:00:00+00:00", response_id=f"c{index}", model="m",
        n_request_messages=2, requested={"seed": index, "logprobs": with_tokens},
        prompt_token_ids=[1, 2] if with_tokens else None, usage={"prompt_tokens": 3},
        choices=[ChoiceTokens(finish_reason="tool_calls", message={
            "role": "assistant", "content": None, "tool_calls": [
                {"id": "1", "type": "function",
                 "function": {"name": "bash", "arguments": '{"command": "ls"}'}}]},
            token_ids=[7] if with_tokens else None,
            logprobs=tokens if with_tokens else None)])
    report = reward_report(result(reward == 1.0, None if reward == 1.0 else (
        FailureClass.infrastructure if reward is None else FailureClass.tests_failed), 1, 1))
    return EpisodeRecord(
        run_id="r", group_id="r/t", episode_id=f"t__{index + 1}", index=index, seed=index,
        task_id="t", task_hash="h", agent="abc", model="m",
        messages=[{"role": "system", "content": "s"},
                  {"role": "user", "content": [{"type": "text", "text": "multi"}]},
                  *(completion.choices[0].message or {},)],
        tools=[{"type": "function", "function": {"name": "bash"}}],
        completions=[completion], report=report, reward=report.reward, valid=report.valid,
        timings={"agent": 1.5, "total": 9.0}, started_at="2026-01-01T00:00:00+00:00")


def test_jsonl_and_parquet_round_trip_and_load_with_datasets(tmp_path: Path) -> None:
    records = [record(0, 1.0), record(1, 0.0, with_tokens=False), record(2, None)]
    [stats] = group_stats(records)
    assert stats.n_valid == 2 and records[2].advantage is None
    write_jsonl(records, tmp_path / "r.jsonl")
    assert read_jsonl(tmp_path / "r.jsonl") == records
    write_parquet(records, tmp_path / "r.parquet")
    table = pq.read_table(tmp_path / "r.parquet")
    assert table.schema.equals(parquet_schema())
    rows = table.to_pylist()
    assert [r["reward"] for r in rows] == [1.0, 0.0, None]
    assert [r["valid"] for r in rows] == [True, True, False]
    first = rows[0]["completions"][0]
    assert first["token_ids"] == [7] and first["logprobs"] == [-0.5]
    assert first["top_logprobs"] == [[{"token": "ab", "logprob": -0.5, "token_id": 7},
                                      {"token": "x", "logprob": -2.0, "token_id": None}]]
    assert first["message"]["tool_calls"][0]["function"]["arguments"] == '{"command": "ls"}'
    assert rows[1]["completions"][0]["logprobs"] is None  # not served: not invented
    assert json.loads(rows[0]["messages"][1]["content"]) == [{"type": "text", "text": "multi"}]
    datasets = pytest.importorskip("datasets")
    loaded = datasets.load_dataset("parquet", data_files=str(tmp_path / "r.parquet"),
                                   split="train", cache_dir=str(tmp_path / "hf"))
    assert loaded["advantage"] == [r.advantage for r in records]
    assert loaded[0]["completions"][0]["tokens"] == ["ab"]


def test_schema_rollout_validates_a_record() -> None:
    out = CliRunner().invoke(app, ["schema", "rollout"])
    assert out.exit_code == 0, out.output
    schema = json.loads(out.output)
    jsonschema.validate(json.loads(record(0, 1.0).model_dump_json()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"run_id": "r"}, schema)


@pytest.mark.parametrize("args, message", [
    ([], "--task"),
    (["--task", "x", "--format", "csv"], "--format csv"),
    (["--task", "x", "--group-size", "0"], "--group-size 0"),
    (["--task", "no-such-task"], "no-such-task"),
])
def test_rollouts_refuses_bad_flags(args: list[str], message: str) -> None:
    out = CliRunner().invoke(app, ["rollouts", *args])
    assert out.exit_code == 2 and message in out.output, out.output
