"""`abcbench tasks mask`: the selection is stored, the overlay regenerated, drift reported."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.run.task_check import authoring_problems
from abcbench.tasks.registry import TaskRegistry
from tests.authoring_helpers import tasks_dir_with


def mask(root: Path, *args: str) -> str:
    out = CliRunner().invoke(app, ["tasks", "mask", "fx-quotes-logic", *args,
                                   "--tasks-dir", str(root)])
    assert out.exit_code == 0, out.output
    return out.output


def test_mask_stores_selection_writes_overlay_and_regenerates(tmp_path: Path) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-logic")
    task_dir = root / "fx-quotes-logic"
    output = mask(root, "--function", "server.py:create_quote")
    assert "masked server.py" in output and "abcbench tasks check fx-quotes-logic" in output
    data = yaml.safe_load((task_dir / "task.yaml").read_text())
    assert data["repository"]["mask"]["functions"] == ["server.py:create_quote"]
    assert "routes" not in data["repository"]["mask"]
    overlay = (task_dir / "masked" / "server.py").read_text()
    assert 'raise NotImplementedError("not implemented: create_quote")' in overlay
    assert "def get_quote(quote_id):\n    quote = STORE.get" in overlay  # not selected
    assert sorted(p.name for p in (task_dir / "masked").iterdir()) == ["server.py"]
    task = TaskRegistry.from_dir(root).get("fx-quotes-logic")
    assert authoring_problems(task) == []

    reference = root / "_repos" / "quotes" / "server.py"
    reference.write_text(reference.read_text().replace("print(fmt % args", "print(fmt % args"
                                                       " if args else fmt"))
    task = TaskRegistry.from_dir(root).get("fx-quotes-logic")
    [problem] = authoring_problems(task)
    assert "overlay differs from a fresh regeneration" in problem
    assert "abcbench tasks mask fx-quotes-logic" in problem

    mask(root)  # the stored selection, applied to the changed reference
    task = TaskRegistry.from_dir(root).get("fx-quotes-logic")
    assert authoring_problems(task) == []
    assert "if args else fmt" in (task_dir / "masked" / "server.py").read_text()


def test_hand_edited_overlay_is_drift(tmp_path: Path) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-logic")
    mask(root, "--function", "server.py:get_quote")
    extra = root / "fx-quotes-logic" / "masked" / "store.py"
    extra.write_text("# hand-made\n")
    [problem] = authoring_problems(TaskRegistry.from_dir(root).get("fx-quotes-logic"))
    assert "(store.py)" in problem


def test_mask_without_selection_or_with_a_bad_one_is_exit_2(tmp_path: Path) -> None:
    root = tasks_dir_with(tmp_path, "fx-quotes-logic")
    before = (root / "fx-quotes-logic" / "task.yaml").read_text()
    for args in ([], ["--function", "server.py:nope"], ["--route", "PATCH /quotes"]):
        out = CliRunner().invoke(app, ["tasks", "mask", "fx-quotes-logic", *args,
                                       "--tasks-dir", str(root)])
        assert out.exit_code == 2, out.output
        assert len(out.output.strip().splitlines()) <= 3, out.output
    assert (root / "fx-quotes-logic" / "task.yaml").read_text() == before


def test_a_hand_corrected_overlay_is_kept_until_the_reference_changes(tmp_path: Path) -> None:
    """`tasks mask --keep-edits` accepts the overlay as corrected by hand against today's
    regeneration; the drift check then reports only a change of the reference or selection."""
    root = tasks_dir_with(tmp_path, "fx-quotes-logic")
    task_dir = root / "fx-quotes-logic"
    mask(root, "--function", "server.py:get_quote")
    overlay = task_dir / "masked" / "server.py"
    overlay.write_text(overlay.read_text() + "\n# corrected by hand\n")
    output = mask(root, "--keep-edits")
    assert "kept" in output
    assert "# corrected by hand" in overlay.read_text()
    assert authoring_problems(TaskRegistry.from_dir(root).get("fx-quotes-logic")) == []

    reference = root / "_repos" / "quotes" / "server.py"
    reference.write_text(reference.read_text().replace("print(fmt % args", "print(fmt % args"
                                                       " if args else fmt"))
    [problem] = authoring_problems(TaskRegistry.from_dir(root).get("fx-quotes-logic"))
    assert "changed since the overlay was corrected by hand" in problem

    mask(root)  # regenerating drops the hand edits and the record of them
    assert "# corrected by hand" not in overlay.read_text()
    data = yaml.safe_load((task_dir / "task.yaml").read_text())
    assert "edited_from" not in data["repository"]["mask"]
    assert authoring_problems(TaskRegistry.from_dir(root).get("fx-quotes-logic")) == []
