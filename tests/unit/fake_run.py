"""A run with the Docker engine faked out: trials are scripted by name, images and cleanup
(by label, and of dead processes' leftovers) are no-ops. For tests of planning, resume, grade
and summaries that need no container; `tests/conftest.py`'s engine guard fails a test that
reaches the engine anyway."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import abcbench.run.executors.attempt as attempt_module
import abcbench.run.executors.local as local_module
import abcbench.run.orphans as orphans_module
import abcbench.run.runner as runner_module
from abcbench.images.manager import ImageManager
from abcbench.results.models import FailureClass, Stage, TestOutcome, TestResult
from abcbench.results.store import RunDir
from abcbench.trial.base import PhaseCallback, Trial, TrialFailed, TrialSpec

Outcome = FailureClass | None
"""None: the trial resolves; a failure class: it fails with it."""


@dataclass
class FakeEngine:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    default: Outcome = None
    ran: list[TrialSpec] = field(default_factory=list)

    def outcome(self, spec: TrialSpec) -> Outcome:
        return self.outcomes.get(spec.name, self.default)


def fake_engine(monkeypatch: pytest.MonkeyPatch,
                outcomes: dict[str, Outcome] | None = None,
                default: Outcome = None) -> FakeEngine:
    engine = FakeEngine(dict(outcomes or {}), default)

    class Scripted(Trial):
        def _execute(self) -> None:
            engine.ran.append(self.spec)
            failure = engine.outcome(self.spec)
            if failure is not None:
                raise TrialFailed(failure, f"scripted {failure.value}")
            self._record_tests([TestResult(name="t", outcome=TestOutcome.passed)])
            self.result.stage_reached = Stage.done

        def _collect_and_clean(self) -> None:
            pass

    def make(spec: TrialSpec, run_dir: RunDir, images: ImageManager,
             on_phase: PhaseCallback | None, cancelled: threading.Event | None) -> Trial:
        return Scripted(spec, run_dir, images, on_phase, cancelled)

    monkeypatch.setattr(attempt_module, "make_trial", make)
    monkeypatch.setattr(runner_module, "RETRY_BACKOFF_SEC", 0.0)
    monkeypatch.setattr(runner_module.Runner, "prepare_images", lambda self: {})
    monkeypatch.setattr(local_module, "server_version", lambda: "fake-engine")
    monkeypatch.setattr(local_module, "cleanup", lambda **_kw: {})
    monkeypatch.setattr(orphans_module, "remove_dead_process_leftovers", lambda: (0, 0))
    return engine


def trial_names(run: Path) -> list[str]:
    return sorted(p.name for p in (run / "trials").iterdir())
