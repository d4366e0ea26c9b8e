"""Trials: one agent attempt at one task, from sandbox to verdict."""

from __future__ import annotations

import threading

from abcbench.images.manager import ImageManager
from abcbench.results.store import RunDir
from abcbench.tasks.model import TaskFormat
from abcbench.trial.base import PhaseCallback, Trial, TrialFailed, TrialSpec, trial_name
from abcbench.trial.native import NativeTrial

__all__ = ["NativeTrial", "PhaseCallback", "Trial", "TrialFailed", "TrialSpec", "make_trial",
           "trial_name"]


def make_trial(spec: TrialSpec, run_dir: RunDir, images: ImageManager,
               on_phase: PhaseCallback | None = None,
               cancelled: threading.Event | None = None) -> Trial:
    """The trial kind that fits the task's layout (or a re-grade of a kept submission)."""
    if spec.regrade_from is not None:
        from abcbench.trial.regrade import RegradeTrial

        return RegradeTrial(spec, run_dir, images, on_phase, cancelled)
    if spec.task.format is TaskFormat.terminal_bench:
        from abcbench.trial.terminal_bench import TerminalBenchTrial

        return TerminalBenchTrial(spec, run_dir, images, on_phase, cancelled)
    return NativeTrial(spec, run_dir, images, on_phase, cancelled)
