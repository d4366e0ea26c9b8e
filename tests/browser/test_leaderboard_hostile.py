"""Labels come from run folders, which anyone can write: the page shows them as text, and a
label made of markup runs no script in a real browser."""

from __future__ import annotations

from pathlib import Path

from abcbench.results.leaderboard import write_leaderboard
from abcbench.results.report import build_report
from tests.browser.test_leaderboard_page import dump_dom, pytestmark  # noqa: F401 - skip rule
from tests.unit.test_report import make_run


def hostile(marker: str) -> str:
    """Markup that, if parsed as HTML, adds `<p id="pwned-MARKER">` to the page."""
    js = ("document.body.appendChild(Object.assign(document.createElement('p'),"
          f"{{id:'pwned-{marker}'}}))")
    return f'<img src=x onerror="{js}">'


def test_hostile_labels_run_no_script(tmp_path: Path) -> None:
    report = build_report(make_run(tmp_path, "run-a", "m"))
    report.agent = hostile("agent")
    report.model = hostile("model")
    report.run_id = '"><img src=x onerror="' + hostile("runid")[len("<img src=x onerror=\""):]
    for task in report.tasks:
        task.task_id = hostile("task")
        task.language = hostile("language")
    dom = dump_dom(write_leaderboard([report], tmp_path / "board"))
    assert "pwned-" in dom, "the labels must be on the page (as text)"
    assert 'id="pwned-' not in dom, "a label was parsed as HTML and its script ran"
    assert "<img" not in dom.split("<script", 1)[0], "no label became an element"
    assert "&lt;img src=x onerror=" in dom, "the agent / model label is shown escaped"


def test_a_label_cannot_break_out_of_the_data_block(tmp_path: Path) -> None:
    """`<!--<script>` in a label would make the parser swallow the page's own script."""
    report = build_report(make_run(tmp_path, "run-b", "m"))
    report.agent = "<!--<script></script><script>document.title='pwned'</script>"
    dom = dump_dom(write_leaderboard([report], tmp_path / "board"))
    assert "<title>pwned</title>" not in dom
    assert '<tr class="entry" data-run="run-b">' in dom, "the table still renders"
