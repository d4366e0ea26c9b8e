"""The leaderboard page's charts render in headless Chromium: the SVG marks exist in the
rendered DOM of index.html with their numbers, and a screenshot of the page shows them drawn
(only the charts painted, against nothing painted)."""

from __future__ import annotations

import re
from pathlib import Path

from abcbench.results.leaderboard import write_leaderboard
from abcbench.results.report import build_report
from tests.browser.chromium import before_scripts, dump_dom, needs_browser, screenshot
from tests.unit.test_report import make_run

pytestmark = needs_browser


def test_leaderboard_charts_render_with_their_numbers(tmp_path: Path) -> None:
    reports = [build_report(make_run(tmp_path, "r-small", "small")),
               build_report(make_run(tmp_path, "r-large", "large"))]
    index = write_leaderboard(reports, tmp_path / "board")
    dom = before_scripts(dump_dom(index))
    assert dom.count("<svg") == 3
    assert len(re.findall(r'<rect class="bar"', dom)) == 4
    assert 'data-language="go" data-value="75.0"' in dom
    assert len(re.findall(r'<circle class="point"', dom)) == 4
    assert len(re.findall(r'<circle class="run"', dom)) == 2
    assert "<title>abc / large, rust: 0.0% ± 0.0</title>" in dom
    assert '<text x="50.0" y="224" font-size="11" text-anchor="middle">$0.00</text>' in dom
    # Only the charts painted (visibility is inherited, and overridden by the section), against
    # nothing painted: the same layout, so the difference is the charts' drawing alone.
    def variant(name: str, charts: str) -> Path:
        page = index.with_name(name)
        page.write_text(index.read_text().replace("<body>", '<body style="visibility:hidden">', 1)
                        .replace('<section id="charts">',
                                 f'<section id="charts" style="visibility:{charts}">', 1))
        return page

    shot = screenshot(variant("charts.html", "visible"), tmp_path / "charts.png")
    bare = screenshot(variant("bare.html", "hidden"), tmp_path / "bare.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 3 * bare.stat().st_size, "the charts are drawn"
