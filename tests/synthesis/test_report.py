"""The synthesize report, the batch state's resume bookkeeping, and the origin list."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.cli.synthesize import read_origins
from abcbench.errors import UserError
from abcbench.results.models import Usage
from abcbench.synthesis.reasons import Reason, Rejection
from abcbench.synthesis.report import build_report, render_markdown
from abcbench.synthesis.state import (
    BatchState,
    CandidateOutcome,
    SourceStatus,
    load_state,
    save_state,
)


def rejection(reason: Reason) -> list[Rejection]:
    return [Rejection(reason=reason, detail="d")]


def batch() -> BatchState:
    state = BatchState(run_prefix="p")
    a = state.source("/repos/a")
    a.status = SourceStatus.done
    a.candidates = [
        CandidateOutcome(attempt=1, task_id="python-flask-a", accepted=True,
                         usage=Usage(input_tokens=1000, output_tokens=100, cost_usd=0.03)),
        CandidateOutcome(attempt=2, usage=Usage(input_tokens=500, cost_usd=0.01),
                         rejections=rejection(Reason.handler_not_exercised)),
        CandidateOutcome(attempt=3, usage=Usage(cost_usd=0.02),
                         rejections=rejection(Reason.handler_not_exercised)
                         + rejection(Reason.static_check))]
    b = state.source("https://example.invalid/b.git")
    b.status = SourceStatus.refused
    b.refusal = Rejection(reason=Reason.license_refused, detail="GPL-3.0")
    return state


def test_yield_cost_and_reasons() -> None:
    report = build_report(batch())
    assert (report.repositories, report.refused_repositories) == (2, 1)
    assert (report.candidates, report.checked) == (3, 1)
    assert report.yield_rate == pytest.approx(1 / 3)
    assert report.usage.cost_usd == pytest.approx(0.06)
    assert report.usage.input_tokens == 1500
    assert report.cost_per_checked_usd == pytest.approx(0.06)
    assert report.reasons == {"handler_not_exercised": 2, "license_refused": 1}
    assert report.tasks == ["python-flask-a"]
    md = render_markdown(report)
    assert "| 2 | 1 | 3 | 1 | 33% | 1500/100 | $0.0600 | $0.0600 |" in md
    assert "| handler_not_exercised | 2 |" in md


def test_an_empty_batch_has_no_yield() -> None:
    report = build_report(BatchState())
    assert report.yield_rate is None and report.cost_per_checked_usd is None
    assert "| 0 | 0 | 0 | 0 | - |" in render_markdown(report)


def test_state_round_trips_and_knows_what_is_decided(tmp_path: Path) -> None:
    save_state(tmp_path, batch())
    state = load_state(tmp_path)
    assert state.run_prefix == "p"
    a = state.source("/repos/a")
    assert a.decided(2) and not a.decided(4)
    assert state.source("/repos/new").status is SourceStatus.pending
    assert load_state(tmp_path / "nothing-here") == BatchState()


def test_origins_from_flags_and_a_list(tmp_path: Path) -> None:
    listing = tmp_path / "repos.txt"
    listing.write_text("# my repositories\n/repos/a\n\n  https://example.invalid/b.git  \n"
                       "/repos/a\n")
    assert read_origins(["/repos/c"], listing) == [
        "/repos/c", "/repos/a", "https://example.invalid/b.git"]
    with pytest.raises(UserError):
        read_origins([], None)
    with pytest.raises(UserError):
        read_origins([], tmp_path / "missing.txt")
