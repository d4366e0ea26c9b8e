"""A trial's row on the leaderboard opens its trajectory: steps, tool calls, outputs, token
counts and timings, rendered in headless Chromium from the page the row links to."""

from __future__ import annotations

import re
from pathlib import Path

import abcbench.results.trajectory_view as tv
from abcbench.results.leaderboard import trial_page_name, write_leaderboard
from abcbench.results.report import build_report
from tests.browser.cdp import Browser
from tests.browser.chromium import before_scripts, dump_dom, link, needs_browser
from tests.unit.fake_trajectory import trajectory, write_trajectory
from tests.unit.test_report import make_run

pytestmark = needs_browser


def test_a_trial_row_opens_its_trajectory_step_by_step(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path, "r1", "m")
    write_trajectory(run_dir.trial_dir("go-a__1"),
                     trajectory(output="ok " + "x" * tv.MAX_TEXT, reasoning="check first"))
    index = write_leaderboard([build_report(run_dir)], tmp_path / "board")
    board = dump_dom(index)
    page = index.parent / link(board, "trajectory", 'data-trial="go-a__1"')
    dom = before_scripts(dump_dom(page))
    assert "<title>ABC-Bench trial go-a__1</title>" in dom
    assert '<a id="back" href="../index.html">' in dom
    assert "<h2>3 steps</h2>" in dom
    assert '<div class="step user" data-step="1"><h3>step 1 · user</h3>' in dom
    assert '<pre class="message">Fix the orders endpoint</pre></div>' in dom
    assert '<span class="tool">▶ bash</span><span class="muted"> call-1</span>' in dom
    assert '"command": "pytest -q"' in dom
    assert ('<span class="muted">output of call-1</span><div class="text">'
            '<pre class="content">ok xxx') in dom
    assert re.search(r'<pre class="content">ok x+</pre><span class="truncated">\[truncated: 3 '
                     r'more characters; see the raw trajectory\]</span>', dom), "the cut is said"
    assert "<summary>reasoning</summary>" in dom and "check first" in dom
    assert "tokens: in 1,000, out 100, cached 300" in dom  # the step's gateway metrics
    assert "tokens: in 500, out 20, cached 0" in dom
    assert '<span class="muted elapsed"> · +2.5 s</span>' in dom
    # the trial's own result: verdict and usage as result.json has it
    assert '<td><span class="ok">resolved</span></td>' in dom
    assert "<td>in 100, out 10, cached 0 over 0 metered replies</td>" in dom
    assert 'href="../../r1/trials/go-a__1/agent/trajectory.json">trajectory</a>' in dom


def test_a_trial_without_trajectory_says_so(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path, "r1", "m")
    index = write_leaderboard([build_report(run_dir)], tmp_path / "board")
    dom = before_scripts(dump_dom(index.parent / trial_page_name("r1", "go-b__1")))
    assert ('<p class="warn problem">no agent/trajectory.json: the agent never started or '
            'wrote none</p>') in dom
    assert "<h2>0 steps</h2>" in dom


def test_clicking_a_trial_row_opens_its_trajectory(tmp_path: Path) -> None:
    """A user's click on the row (not on a link in it) leads to the trial's page."""
    run_dir = make_run(tmp_path, "r1", "m")
    write_trajectory(run_dir.trial_dir("rust-a__1"))
    index = write_leaderboard([build_report(run_dir)], tmp_path / "board")
    with Browser() as browser:
        browser.open(index)
        browser.click('tr.trial[data-trial="rust-a__1"] td')
        browser.wait_for("location.pathname.endsWith('.html') && "
                         "!location.pathname.endsWith('index.html') && "
                         "document.readyState === 'complete'")
        assert browser.eval("location.pathname") == (
            index.parent / trial_page_name("r1", "rust-a__1")).as_posix()
        assert browser.eval("document.querySelectorAll('.step').length") == 3
        assert browser.eval("document.querySelector('.tool').textContent") == "▶ bash"
        assert "tokens: in 1,000, out 100, cached 300" in browser.eval("document.body.innerText")
