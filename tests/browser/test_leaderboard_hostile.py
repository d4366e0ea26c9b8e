"""Labels come from run folders, and trajectories from the model, which anyone can write: the
pages show them as text, and markup in them runs no script in a real browser: not in the
tables, not inside the SVG charts, not in the trajectory viewer. A Content-Security-Policy is a
second layer: markup that got into a page anyway would still run nothing."""

from __future__ import annotations

import re
from pathlib import Path

from abcbench.agents.atif import (
    AtifObservation,
    AtifResult,
    AtifToolCall,
    Builder,
)
from abcbench.results.leaderboard import trial_page_name, write_leaderboard
from abcbench.results.models import Usage
from abcbench.results.report import build_report
from tests.browser.chromium import before_scripts, dump_dom, link, needs_browser
from tests.unit.fake_trajectory import write_trajectory
from tests.unit.test_report import make_run

pytestmark = needs_browser


def hostile(marker: str) -> str:
    """Markup that, if parsed as HTML, adds `<p id="pwned-MARKER">` to the page."""
    return f'<img src=x onerror="{adds(marker)}">'


def adds(marker: str) -> str:
    """Script that adds `<p id="pwned-MARKER">` to the page."""
    return ("document.body.appendChild(Object.assign(document.createElement('p'),"
            f"{{id:'pwned-{marker}'}}))")


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
    assert "<img" not in before_scripts(dom), "no label became an element"
    assert "&lt;img src=x onerror=" in dom, "the agent / model label is shown escaped"
    charts = before_scripts(dom)[dom.index('<section id="charts">'):]
    assert charts.count("&lt;img src=x onerror=") >= 4, "legends and bar titles, as text"


def test_svg_markup_in_labels_stays_text_inside_the_charts(tmp_path: Path) -> None:
    """Inside `<svg>` the parser is in foreign content: CDATA, `</title>`, `<svg onload>`,
    `<foreignObject>` and `javascript:` links are the ways out it would take."""
    report = build_report(make_run(tmp_path, "run-s", "m"))
    report.agent = (f'</title></text></svg><svg onload="{adds("svg")}"><foreignObject>'
                    f'{hostile("fo")}</foreignObject>')
    report.model = (f'<![CDATA[</title><script>{adds("cdata")}</script>]]>'
                    f'<a xlink:href="javascript:{adds("xlink")}"><text>click</text></a>')
    for task in report.tasks:
        task.language = f"</text><script>{adds('lang')}</script>"
    dom = dump_dom(write_leaderboard([report], tmp_path / "board"))
    assert 'id="pwned-' not in dom
    page = before_scripts(dom)
    assert page.count("<svg") == 3 and "<foreignObject" not in page
    assert "<script" not in page and "javascript:" not in re.sub(r"&lt;.*?&gt;", "", page)
    assert "&lt;![CDATA[&lt;/title&gt;&lt;script&gt;" in page, "the label is drawn as text"


def test_a_label_cannot_break_out_of_the_data_block(tmp_path: Path) -> None:
    """`<!--<script>` in a label would make the parser swallow the page's own script."""
    report = build_report(make_run(tmp_path, "run-b", "m"))
    report.agent = "<!--<script></script><script>document.title='pwned'</script>"
    dom = dump_dom(write_leaderboard([report], tmp_path / "board"))
    assert "<title>pwned</title>" not in dom
    assert '<tr class="entry" data-run="run-b">' in dom, "the table still renders"


def test_a_hostile_trajectory_runs_no_script(tmp_path: Path) -> None:
    b = Builder("abc", "1", f"</script><script>{adds('agentmodel')}</script>")
    b.add("user", f"<script>{adds('user')}</script>")
    b.add("agent", f"</script><script>{adds('message')}</script>{hostile('message-img')}",
          model_name=hostile("model"), timestamp=hostile("stamp"),
          reasoning_content=f"<!--<script>{adds('reasoning')}</script>",
          tool_calls=[AtifToolCall(
              tool_call_id=f'"><svg onload="{adds("callid")}">',
              function_name=f"<a href=\"javascript:{adds('toolname')}\">run</a>",
              arguments={"url": f"javascript:{adds('url')}",
                         "html": f'<a href="javascript:{adds("arg")}">x</a>'})],
          observation=AtifObservation(results=[AtifResult(
              source_call_id=hostile("source"),
              content=f"</script><script>{adds('output')}</script>{hostile('output-img')}"
                      f"<iframe src=\"javascript:{adds('iframe')}\"></iframe>")]))
    run_dir = make_run(tmp_path, "run-t", "m")
    write_trajectory(run_dir.trial_dir("go-a__1"), b.finish(Usage(), []))
    index = write_leaderboard([build_report(run_dir)], tmp_path / "board")
    page = index.parent / link(dump_dom(index), "trajectory", 'data-trial="go-a__1"')
    raw = page.read_text()
    assert raw.count("</script>") == 2, "nothing in the data closes its block"
    dom = dump_dom(page)
    assert "<title>ABC-Bench trial go-a__1</title>" in dom, "the page's own script ran"
    assert 'id="pwned-' not in dom, "a trajectory string was parsed as HTML and ran"
    shown = before_scripts(dom)
    for tag in ("<img", "<svg", "<iframe", "<script"):
        assert tag not in shown, f"{tag} became markup"
    assert not re.search(r'<a\b[^>]*href="javascript', shown), "a string became a link"
    assert "&lt;/script&gt;&lt;script&gt;document.body.appendChild" in shown, "shown as text"
    assert 'javascript:document.body' in shown and "<h2>2 steps</h2>" in shown


def test_the_policy_stops_markup_that_got_into_a_page(tmp_path: Path) -> None:
    """Were the escaping ever broken, the page's CSP still runs no handler, inline script or
    `javascript:` URL: planted by hand here, after the page was written."""
    run_dir = make_run(tmp_path, "run-c", "m")
    write_trajectory(run_dir.trial_dir("go-a__1"))
    index = write_leaderboard([build_report(run_dir)], tmp_path / "board")
    planted = (f'{hostile("handler")}<script>{adds("inline")}</script>'
               f'<iframe src="javascript:parent.{adds("frame")}"></iframe>')
    for page, works in ((index, '<tr class="entry" data-run="run-c">'),
                        (index.parent / trial_page_name("run-c", "go-a__1"), "<h2>3 steps</h2>")):
        page.write_text(page.read_text().replace("<body>", "<body>" + planted, 1))
        dom = dump_dom(page)
        assert "<img src=" in dom, "the planted markup is in the page"
        assert 'id="pwned-' not in dom, f"{page.name}: planted markup ran"
        assert works in dom, f"{page.name}: the page's own script ran"


def test_without_the_policy_the_planted_markup_would_run(tmp_path: Path) -> None:
    """The probe above is live: the same planted handler runs once the policy is removed."""
    index = write_leaderboard([build_report(make_run(tmp_path, "run-d", "m"))],
                              tmp_path / "board")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", index.read_text())
    index.write_text(text.replace("<body>", "<body>" + hostile("handler"), 1))
    assert 'id="pwned-handler"' in dump_dom(index)
