"""The leaderboard charts: valid SVG whose marks carry the report's numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from abcbench.results.charts import (
    accuracy_vs_cost,
    charts_html,
    cost_per_solved,
    language_bars,
    pass_at_k_curves,
)
from abcbench.results.report import RunReport, build_report
from tests.unit.test_report import make_run

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def reports(tmp_path: Path) -> list[RunReport]:
    return [build_report(make_run(tmp_path, "r-small", "small")),
            build_report(make_run(tmp_path, "r-large", "large"))]


def marks(svg: str, cls: str) -> list[dict[str, str]]:
    root = ET.fromstring(svg)
    return [dict(e.attrib) for e in root.iter() if e.attrib.get("class") == cls]


def test_language_bars_with_standard_error(reports: list[RunReport]) -> None:
    bars = marks(language_bars(reports), "bar")
    by = {(b["data-run"], b["data-language"]): b for b in bars}
    go = reports[0].by_language["go"]
    assert by[("r-small", "go")]["data-value"] == f"{100 * go.pass_at_1:.1f}" == "75.0"
    assert by[("r-small", "go")]["data-se"] == f"{100 * go.se:.1f}"
    assert by[("r-large", "rust")]["data-value"] == "0.0"
    assert len(bars) == 4 and len(marks(language_bars(reports), "se")) >= 2


def test_pass_at_k_points_per_run(reports: list[RunReport]) -> None:
    points = marks(pass_at_k_curves(reports), "point")
    assert {(p["data-run"], p["data-k"]) for p in points} == {
        (r, k) for r in ("r-small", "r-large") for k in ("1", "2")}
    k2 = next(p for p in points if p["data-run"] == "r-small" and p["data-k"] == "2")
    assert k2["data-value"] == f"{100 * reports[0].overall.pass_at_k[2]:.1f}"
    assert len(marks(pass_at_k_curves(reports), "curve")) == 2


def test_accuracy_against_cost_per_solved_task(reports: list[RunReport]) -> None:
    runs = marks(accuracy_vs_cost(reports), "run")
    assert len(runs) == 2
    expected = reports[0].usage.cost_usd / reports[0].overall.n_resolved
    assert runs[0]["data-cost"] == f"{expected:.4f}"
    assert runs[0]["data-value"] == f"{100 * reports[0].overall.pass_at_1:.1f}"


def test_nothing_solved_is_not_drawn_and_labels_are_escaped(reports: list[RunReport]) -> None:
    report = reports[0].model_copy(update={"model": "<script>x</script>"})
    report.overall = report.overall.model_copy(update={"n_resolved": 0})
    assert cost_per_solved(report) is None
    svg = accuracy_vs_cost([report])
    assert marks(svg, "run") == [] and "<script>" not in svg
    assert "<script>" not in charts_html([report])
    ET.fromstring(charts_html(reports))  # well-formed: embeddable as it is


def test_a_cost_with_unmetered_replies_is_drawn_as_a_lower_bound(
        reports: list[RunReport]) -> None:
    report = reports[0].model_copy(update={
        "usage": reports[0].usage.model_copy(update={"n_unmetered": 3})})
    (metered,) = marks(accuracy_vs_cost([reports[1]]), "run")
    (floor,) = marks(accuracy_vs_cost([report]), "run")
    assert metered["data-lower-bound"] == "0" and metered["fill"] != "#fff"
    assert floor["data-lower-bound"] == "1" and floor["fill"] == "#fff"  # hollow
    assert "at ≥ $0.4167 per solved task (some replies unmetered)" in accuracy_vs_cost([report])
