"""The leaderboard page renders in headless Chromium with the right numbers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from abcbench.results.leaderboard import write_leaderboard
from abcbench.results.report import build_report
from tests.unit.test_report import make_run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("ABCBENCH_REQUIRE_BROWSER") != "1",
    reason="no chromium (apt-get install chromium)",
)


def dump_dom(page: Path) -> str:
    assert CHROMIUM is not None, "ABCBENCH_REQUIRE_BROWSER=1 but chromium is not installed"
    out = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
         page.as_uri()], capture_output=True, text=True, timeout=120, check=True,
    )
    return out.stdout


def test_page_renders_sorted_rows_and_drill_down(tmp_path: Path) -> None:
    reports = [build_report(make_run(tmp_path, "weak", "small")),
               build_report(make_run(tmp_path, "strong", "large"))]
    # make "strong" better: re-grade its rust attempt as resolved
    strong = reports[1]
    strong.overall.pass_at_1 = 0.9
    dom = dump_dom(write_leaderboard(reports, tmp_path / "board"))
    rows = re.findall(r'<tr class="entry" data-run="([^"]+)">(.*?)</tr>', dom)
    assert [run for run, _ in rows] == ["strong", "weak"], "sorted by overall, best first"
    cells = re.findall(r"<td>(.*?)</td>", rows[1][1])
    assert cells == ["abc / small", "75.0 ± 25.0", "0.0 ± 0.0", "50.0 ± 28.9", "6", "1.25"]
    assert "<h2>abc / large" in dom, "the best entry's tasks are shown"
    assert 'href="../strong/trials/go-a__1/logs/build.log"' in dom
