"""The leaderboard charts render in headless Chromium: the SVG marks exist in the rendered
DOM with their numbers, and a screenshot shows more than an empty page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from abcbench.results.charts import charts_html
from abcbench.results.report import build_report
from tests.unit.test_report import make_run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("ABCBENCH_REQUIRE_BROWSER") != "1",
    reason="no chromium (apt-get install chromium)",
)


def chromium(*args: str) -> str:
    assert CHROMIUM is not None, "ABCBENCH_REQUIRE_BROWSER=1 but chromium is not installed"
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", *args],
                          capture_output=True, text=True, timeout=120, check=True).stdout


def page(path: Path, body: str) -> Path:
    path.write_text(f"<!doctype html><meta charset='utf-8'><body>{body}</body>")
    return path


def test_charts_render_with_their_numbers(tmp_path: Path) -> None:
    reports = [build_report(make_run(tmp_path, "r-small", "small")),
               build_report(make_run(tmp_path, "r-large", "large"))]
    charts = page(tmp_path / "charts.html", charts_html(reports))
    dom = chromium("--dump-dom", charts.as_uri())
    assert dom.count("<svg") == 3
    assert len(re.findall(r'<rect class="bar"', dom)) == 4
    assert 'data-language="go" data-value="75.0"' in dom
    assert len(re.findall(r'<circle class="point"', dom)) == 4
    assert len(re.findall(r'<circle class="run"', dom)) == 2
    shot, blank = tmp_path / "charts.png", tmp_path / "blank.png"
    size = "--window-size=1200,900"
    chromium(f"--screenshot={shot}", size, charts.as_uri())
    chromium(f"--screenshot={blank}", size, page(tmp_path / "blank.html", "").as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 3 * blank.stat().st_size  # drawn, not an empty page
