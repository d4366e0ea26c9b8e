"""Repository-level refusals happen before any agent runs, are recorded in the state and the
report, and a second run skips them (no Docker needed: nothing reaches the exploration)."""

from __future__ import annotations

import shutil
from pathlib import Path

from abcbench.agents.nop import NopAgent
from abcbench.results.models import AgentInfo
from abcbench.synthesis.explore import AgentChoice
from abcbench.synthesis.pipeline import SynthesisOptions, synthesize
from abcbench.synthesis.state import SourceStatus, load_state
from tests.synthesis.scripts import FIXTURES

GPL = "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n"


def options(tmp_path: Path, **kw: object) -> SynthesisOptions:
    return SynthesisOptions(tasks_dir=tmp_path / "tasks", work=tmp_path / "work",
                            agent=AgentChoice(NopAgent, AgentInfo(name="nop"), {}),
                            run_prefix="pytest-synth", **kw)  # type: ignore[arg-type]


def test_refusals_are_recorded_and_reported(tmp_path: Path) -> None:
    gpl = tmp_path / "gpl-repo"
    shutil.copytree(FIXTURES / "python-notes", gpl)
    (gpl / "LICENSE").write_text(GPL)
    unknown = tmp_path / "docs-only"
    unknown.mkdir()
    (unknown / "LICENSE").write_text((FIXTURES / "go-notes" / "LICENSE").read_text())
    (unknown / "README.md").write_text("no code here")
    messages: list[str] = []
    report = synthesize([str(gpl), str(tmp_path / "missing"), str(unknown)],
                        options(tmp_path), messages.append)
    assert report.repositories == 3 and report.refused_repositories == 3
    assert report.candidates == 0 and report.yield_rate is None
    assert report.reasons == {"language_unknown": 1, "license_refused": 1,
                              "source_unavailable": 1}
    state = load_state(tmp_path / "work")
    assert [s.status for s in state.sources] == [SourceStatus.refused] * 3
    assert state.sources[0].license == "GPL-3.0"
    assert any("--allow-license GPL-3.0" in m for m in messages)
    assert (tmp_path / "work" / "report.md").is_file()
    # a second run skips what is decided, but fetches a source that was unavailable again
    messages.clear()
    (tmp_path / "missing").mkdir()
    (tmp_path / "missing" / "LICENSE").write_text(GPL)
    report = synthesize([str(gpl), str(tmp_path / "missing")], options(tmp_path),
                        messages.append)
    assert any("already refused" in m for m in messages)
    assert report.reasons == {"language_unknown": 1, "license_refused": 2}


def test_allowed_license_goes_on_to_the_language(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "LICENSE").write_text(GPL)
    report = synthesize([str(repo)], options(tmp_path, allow_license=["GPL-3.0"]))
    assert report.reasons == {"language_unknown": 1}
