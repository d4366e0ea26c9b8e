"""The leaderboard embeds labels as inert data (the browser test proves no script runs)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from abcbench.results.leaderboard import embed_json


def test_embedded_data_has_no_markup_and_round_trips() -> None:
    data = {"label": "<!--<script></script><img src=x onerror=alert(1)> & more"}
    embedded = embed_json(data)
    assert not set("<>&") & set(embedded)
    assert json.loads(embedded) == data


@pytest.mark.parametrize("template", ["leaderboard.html", "trajectory.html"])
def test_page_never_parses_data_as_html(template: str) -> None:
    page = resources.files("abcbench.results").joinpath(template).read_text("utf-8")
    script = page.split("<script>", 1)[1]
    assert "innerHTML" not in script.replace("never through innerHTML", "")
    assert "insertAdjacentHTML" not in script and "document.write" not in script
