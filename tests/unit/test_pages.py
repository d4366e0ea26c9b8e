"""Result pages are filled in one pass, and their one script is pinned by a CSP hash."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from abcbench.results.leaderboard import write_leaderboard
from abcbench.results.pages import csp, fill
from abcbench.results.report import build_report
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
