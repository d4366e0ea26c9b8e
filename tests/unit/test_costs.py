"""Cost per trial and per solved task, and unmetered replies shown as lower bounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.results import render
from abcbench.results.costs import dollars, run_cost, unmetered_note
from abcbench.results.leaderboard import leaderboard_data
from abcbench.results.models import Usage
from abcbench.results.report import build_report
from abcbench.results.store import RunDir
from tests.unit.test_report import make_run


def test_per_trial_and_per_solved(tmp_path: Path) -> None:
    # 5 trials with results at $0.25 and 100/10 tokens each; 3 resolved; one planned missing
    cost = run_cost(build_report(make_run(tmp_path)))
    assert cost.n_trials_ran == 5 and cost.n_resolved == 3
    assert cost.cost_per_trial == pytest.approx(0.25)
    assert cost.cost_per_solved == pytest.approx(1.25 / 3)
    assert cost.tokens_per_trial is not None
    assert (cost.tokens_per_trial.input, cost.tokens_per_trial.output) == (100, 10)
    assert not cost.lower_bound and unmetered_note(cost) is None


def unmeter(run_dir: RunDir, trial: str, n: int) -> None:
    result = run_dir.read_result(trial)
    assert result is not None
    result.usage = Usage(input_tokens=100, output_tokens=10, cost_usd=0.25, n_unmetered=n)
    run_dir.write_result(result)


def test_unmetered_replies_make_every_figure_a_lower_bound(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path)
    unmeter(run_dir, "go-a__1", 2)
    unmeter(run_dir, "rust-a__1", 1)
    report = build_report(run_dir)
    cost = run_cost(report)
    assert cost.lower_bound and (cost.n_unmetered, cost.n_unmetered_trials) == (3, 2)
    assert unmetered_note(cost) == ("3 model replies in 2 trials carried no usage block: "
                                    "tokens and cost are lower bounds")
    assert dollars(cost.cost_usd, cost.lower_bound) == "≥ $1.25"
    entry = leaderboard_data([report], tmp_path / "board")["entries"][0]
    assert entry["cost"]["lower_bound"] and entry["unmetered_note"]
    attempts = {a["trial_name"]: a for t in entry["tasks"] for a in t["attempts"]}
    assert attempts["go-a__1"]["usage"]["n_unmetered"] == 2
    header, rows = render.summary_rows([report])
    assert rows[0][header.index("cost $")] == "≥ 1.25"


def test_nothing_solved_has_no_cost_per_solved(tmp_path: Path) -> None:
    report = build_report(make_run(tmp_path))
    report.overall.n_resolved = 0
    assert run_cost(report).cost_per_solved is None
    assert dollars(None, True) == "-"
