"""`abcbench agents verify` runs an agent end to end on two bundled tasks in different
languages and records the outcome, which `agents list` then shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.sandbox.lifecycle import leftovers

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def test_verify_the_built_in_agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = tmp_path / "verified"
    monkeypatch.setattr("abcbench.agents.verify.record_path",
                        lambda name: records / f"{name}.json")
    outcome = CliRunner().invoke(app, ["agents", "verify", "abc", "--output",
                                       str(tmp_path / "runs")])
    assert outcome.exit_code == 0, outcome.output
    record = json.loads((records / "abc.json").read_text())
    assert record["passed"] and record["agent_version"]
    assert record["verdicts"] == {
        "python-flask-bookshelf-loans": {"solve": True, "nothing": False},
        "go-chi-linkvault-bookmarks": {"solve": True, "nothing": False}}
    listed = CliRunner().invoke(app, ["agents", "list", "--json"])
    row = next(r for r in json.loads(listed.output) if r["name"] == "abc")
    assert row["verified"].startswith("passed ") and "2 tasks" in row["verified"]
    for run_id in record["runs"]:
        assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
