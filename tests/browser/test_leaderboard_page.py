"""The leaderboard page renders in headless Chromium with the right numbers: scores, charts,
cost per trial and per solved task, and a row per trial that leads to its trajectory."""

from __future__ import annotations

import re
from pathlib import Path

from abcbench.results.leaderboard import write_leaderboard
from abcbench.results.models import Usage
from abcbench.results.report import build_report
from tests.browser.chromium import before_scripts, dump_dom, needs_browser
from tests.unit.test_report import make_run

pytestmark = needs_browser


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
    # 5 trials ran at $0.25 and 100 in / 10 out tokens each, 3 resolved: $1.25 / 3 per solved
    assert cells == ["abc / small", "75.0 ± 25.0", "0.0 ± 0.0", "50.0 ± 28.9", "6", "1.25",
                     "0.25", "0.42", "100 / 10 / 0"]
    assert "<h2>abc / large" in dom, "the best entry's tasks are shown"
    assert 'href="../strong/trials/go-a__1/logs/build.log"' in dom
    trial = re.search(r'<tr class="trial" data-trial="go-b__1"[^>]*>(.*?)</tr>', dom)
    assert trial is not None, "one row per trial"
    # verdict (the cause read from its build log), tests, tokens, cost
    assert re.findall(r"<td[^>]*>(.*?)</td>", trial.group(1))[4:8] == [
        '<span class="bad">missing_path_or_entrypoint</span>', "-", "100 / 10 / 0", "0.2500"]
    assert re.search(r'<a href="trials/[0-9a-f]{24}\.html" class="trajectory">trajectory</a>',
                     trial.group(1))
    missing = re.search(r'<tr class="trial" data-trial="rust-a__2"[^>]*>(.*?)</tr>', dom)
    assert missing is not None and 'class="trajectory"' not in missing.group(1)
    assert "unmetered" not in before_scripts(dom)


def test_unmetered_replies_are_a_lower_bound_not_free(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path, "r-un", "m")
    for name in ("go-a__1", "go-b__2"):
        result = run_dir.read_result(name)
        assert result is not None
        result.usage = Usage(cost_usd=0.0, n_unmetered=4)  # nothing metered at all
        run_dir.write_result(result)
    dom = before_scripts(dump_dom(write_leaderboard([build_report(run_dir)],
                                                    tmp_path / "board")))
    row = re.search(r'<tr class="entry" data-run="r-un">(.*?)</tr>', dom)
    assert row is not None
    assert re.findall(r"<td>(.*?)</td>", row.group(1))[5:8] == ["≥ 0.75", "≥ 0.15", "≥ 0.25"]
    assert ('abc / m: 8 model replies in 2 trials carried no usage block: tokens and cost are '
            'lower bounds') in dom
    trial = re.search(r'<tr class="trial" data-trial="go-a__1"[^>]*>(.*?)</tr>', dom)
    assert trial is not None and "<td>≥ 0.0000 (4 unmetered)</td>" in trial.group(1)


def test_charts_are_in_the_page_with_their_numbers(tmp_path: Path) -> None:
    reports = [build_report(make_run(tmp_path, "r-small", "small")),
               build_report(make_run(tmp_path, "r-large", "large"))]
    dom = before_scripts(dump_dom(write_leaderboard(reports, tmp_path / "board")))
    charts = dom[dom.index('<section id="charts">'):]
    assert charts.count("<svg") == 3
    assert 'data-language="go" data-value="75.0" data-se="25.0"' in charts
    assert "<title>abc / small, go: 75.0% ± 25.0</title>" in charts
    assert "<title>abc / small: pass@2 66.7%</title>" in charts
    assert "<title>abc / large: 50.0% at $0.4167 per solved task</title>" in charts
