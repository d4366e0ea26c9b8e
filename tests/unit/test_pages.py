"""Result pages are filled in one pass, and their one script is pinned by a CSP hash."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.results.leaderboard import trial_page_name, write_leaderboard
from abcbench.results.pages import csp, fill
from abcbench.results.report import build_report
from tests.unit.fake_trajectory import write_trajectory
from tests.unit.test_report import make_run


def test_a_value_is_never_scanned_for_another_placeholder() -> None:
    assert fill("__DATA__ | __CHARTS__", {"DATA": "__CHARTS__", "CHARTS": "<svg/>"}) == (
        "__CHARTS__ | <svg/>")
    with pytest.raises(ValueError, match="no placeholder for CHARTS"):
        fill("__DATA__", {"DATA": "x", "CHARTS": "y"})


def test_a_label_that_names_a_placeholder_stays_a_label(tmp_path: Path) -> None:
    """Sequential str.replace would put the charts' markup inside the data block (or the data
    into the charts); the page must keep both exactly once and the label verbatim."""
    report = build_report(make_run(tmp_path, "run-a", "__CHARTS__"))
    report.agent = "__DATA__"
    page = write_leaderboard([report], tmp_path / "board").read_text()
    assert page.count('<section id="charts">') == 1
    block = re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S)
    assert block is not None
    assert json.loads(block.group(1))["entries"][0]["label"] == "__DATA__ / __CHARTS__"


def test_the_policy_allows_exactly_the_template_script() -> None:
    policy = csp("<script>let a = 1;</script><script id='d' type='application/json'>{}"
                 "</script>")
    # sha256 of "let a = 1;", computed independently
    assert "script-src 'sha256-" in policy and policy.count("'sha256-") == 1
    assert "unsafe-inline" not in policy.split("style-src")[0]
    assert "default-src 'none'" in policy


def test_every_page_carries_its_policy(tmp_path: Path) -> None:
    out = tmp_path / "board"
    write_leaderboard([build_report(make_run(tmp_path, "run-a", "m"))], out)
    for page in [out / "index.html", *sorted((out / "trials").iterdir())]:
        text = page.read_text()
        assert '<meta http-equiv="Content-Security-Policy" content="default-src' in text, page
        assert "__CSP__" not in text and "__DATA__" not in text


def test_trial_pages_have_hex_names_inside_the_output_and_stale_ones_go(tmp_path: Path) -> None:
    report = build_report(make_run(tmp_path, "run-a", "m"))
    out = tmp_path / "board"
    (out / "trials").mkdir(parents=True)
    (out / "trials" / ("0" * 24 + ".html")).write_text("an earlier leaderboard's page")
    (out / "trials" / "notes.txt").write_text("not ours")
    report.run_id = "../../escape"
    for task in report.tasks:
        for a in task.attempts:
            if a.trial_name:
                a.trial_name = "../" + a.trial_name
    write_leaderboard([report], out)
    names = sorted(p.name for p in (out / "trials").iterdir())
    assert len(names) == 6 and "notes.txt" in names  # 5 trials with a result + not ours
    assert all(re.fullmatch(r"[0-9a-f]{24}\.html", n) for n in names if n != "notes.txt")
    assert not (tmp_path / "escape").exists()


def test_the_cli_writes_the_page_its_data_and_a_page_per_trial(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path, "run-cli", "m")
    write_trajectory(run_dir.trial_dir("go-a__1"))
    result = CliRunner().invoke(app, ["leaderboard", str(run_dir.path), "-o",
                                      str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "a trajectory page per trial" in result.output
    page = tmp_path / "site" / trial_page_name("run-cli", "go-a__1")
    data = re.search(r'<script id="data" type="application/json">(.*?)</script>',
                     page.read_text(), re.S)
    assert data is not None
    steps = json.loads(data.group(1))["trajectory"]["steps"]
    assert [s["source"] for s in steps] == ["user", "agent", "agent"]
    board = json.loads((tmp_path / "site" / "leaderboard.json").read_text())
    attempt = board["entries"][0]["tasks"][0]["attempts"][0]
    assert attempt["page"] == trial_page_name("run-cli", "go-a__1")
    assert attempt["links"]["trajectory"].endswith("go-a__1/agent/trajectory.json")
