"""The three-leg `tasks check` against the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.run.task_check import check_tasks
from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from tests.authoring_helpers import tasks_dir_with

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def test_environment_task_whose_overlay_masks_nothing_fails_the_check(tmp_path: Path,
                                                                    run_id: str) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-env-comment")
    task = TaskRegistry.from_dir(root).get("fx-quotes-env-comment")
    [check] = check_tasks([task], root, tmp_path / "runs", repeat=1, n_concurrent=1,
                           run_prefix=run_id)
    assert not check.ok
    assert check.oracle_resolved == 1
    assert check.nop_resolved == 0
    assert check.masked_env_resolved == 1
    assert any("masked code with the reference environment files resolved" in p
               for p in check.problems), check.problems
    legs = {leg.name: leg for leg in check.legs}
    assert set(legs) == {"reference", "untouched", "masked_with_environment"}
    for leg in legs.values():
        assert leg.run_dir is not None and (Path(leg.run_dir) / "run.json").is_file()
        assert leftovers(run=Path(leg.run_dir).name) == {
            "containers": [], "networks": [], "trial_images": []}
    [nop_failure] = legs["untouched"].failures
    assert nop_failure.failure_class == "build_failed"
