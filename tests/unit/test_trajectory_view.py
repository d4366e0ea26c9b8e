"""A trial's trajectory as its viewer page shows it: steps, tool calls, outputs, tokens and
timings, with hostile or oversized files cut down or refused, never followed or trusted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import abcbench.results.trajectory_view as tv
from abcbench.results.trajectory_view import TRAJECTORY, trajectory_view
from tests.unit.fake_trajectory import trajectory, write_trajectory


def test_steps_tool_calls_outputs_tokens_and_timings(tmp_path: Path) -> None:
    write_trajectory(tmp_path)
    view = trajectory_view(tmp_path)
    assert view.problem is None and (view.agent, view.model_name) == ("abc", "m")
    user, call, done = view.steps
    assert (user.source, user.message.text) == ("user", "Fix the orders endpoint")
    assert call.tool_calls[0].name == "bash"
    assert json.loads(call.tool_calls[0].arguments.text) == {"command": "pytest -q"}
    assert (call.outputs[0].call_id, call.outputs[0].content.text) == ("call-1", "3 passed")
    assert call.metrics["prompt_tokens"] == 1000 and done.metrics["completion_tokens"] == 20
    assert done.elapsed_sec == 2.5 and call.elapsed_sec is None
    assert view.final_metrics["total_prompt_tokens"] == 1500


def test_long_texts_are_cut_with_the_count_left_out(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write_trajectory(tmp_path, trajectory(output="x" * (tv.MAX_TEXT + 123)))
    out = trajectory_view(tmp_path).steps[1].outputs[0].content
    assert (len(out.text), out.omitted) == (tv.MAX_TEXT, 123)
    # past the page's budget, texts keep nothing but still say how much they had
    monkeypatch.setattr(tv, "MAX_PAGE_TEXT", 30)
    steps = trajectory_view(tmp_path).steps
    assert steps[0].message.text == "Fix the orders endpoint"  # 23 characters
    assert steps[1].message.text == "Running" and steps[1].message.omitted == 10
    assert steps[1].outputs[0].content.text == ""
    assert steps[1].outputs[0].content.omitted == tv.MAX_TEXT + 123


def test_steps_past_the_cap_are_counted(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    write_trajectory(tmp_path)
    monkeypatch.setattr(tv, "MAX_STEPS", 2)
    view = trajectory_view(tmp_path)
    assert len(view.steps) == 2 and view.omitted_steps == 1


def test_a_linked_agent_folder_or_file_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "host"
    write_trajectory(outside)  # host/agent/trajectory.json
    trial = tmp_path / "trial"
    trial.mkdir()
    os.symlink(outside / "agent", trial / "agent")
    view = trajectory_view(trial)
    assert view.steps == [] and "a link" in (view.problem or "")
    os.unlink(trial / "agent")
    (trial / "agent").mkdir()
    os.symlink(outside / TRAJECTORY, trial / TRAJECTORY)
    assert trajectory_view(trial).steps == []


@pytest.mark.parametrize(("content", "problem"), [
    (None, "no agent/trajectory.json"),
    (b"{not json", "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    (b"[1, 2]", "not an ATIF object"),
    (b'{"steps": "none"}', "has no steps"),
    (b"\xff\xfe", "not valid JSON"),
])
def test_broken_files_say_why(tmp_path: Path, content: bytes | None, problem: str) -> None:
    if content is not None:
        (tmp_path / "agent").mkdir()
        (tmp_path / TRAJECTORY).write_bytes(content)
    view = trajectory_view(tmp_path)
    assert problem in (view.problem or "") and view.steps == []


def test_an_oversized_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_trajectory(tmp_path)
    monkeypatch.setattr(tv, "MAX_FILE_BYTES", 100)
    view = trajectory_view(tmp_path)
    assert view.steps == [] and "open it directly" in (view.problem or "")


def test_fields_of_the_wrong_type_are_dropped_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "agent").mkdir()
    (tmp_path / TRAJECTORY).write_text(json.dumps({"agent": "x", "steps": [
        {"step_id": "1", "source": 3, "message": None, "tool_calls": [7, {"arguments": "raw"}],
         "observation": {"results": "no"}, "metrics": {"prompt_tokens": "9", "cost_usd": 1}},
        "not a step"]}))
    (step,) = trajectory_view(tmp_path).steps
    assert (step.step_id, step.source, step.message.text) == (None, "?", "")
    assert [(c.name, c.arguments.text) for c in step.tool_calls] == [("?", "raw")]
    assert step.outputs == [] and step.metrics == {"cost_usd": 1}
