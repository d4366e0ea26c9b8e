"""ATIF trajectories for viewer tests, made with the harness's own builder (what agents write)."""

from __future__ import annotations

from pathlib import Path

from abcbench.agents.atif import (
    AtifObservation,
    AtifResult,
    AtifToolCall,
    AtifTrajectory,
    Builder,
    save_atif,
)
from abcbench.results.models import Usage
from abcbench.results.trajectory_view import TRAJECTORY


def trajectory(message: str = "Running the tests", command: str = "pytest -q",
               output: str = "3 passed", reasoning: str | None = None,
               model: str = "m") -> AtifTrajectory:
    """A user prompt and two agent steps (one tool call, 2.5 s apart), metered per request."""
    b = Builder("abc", "1.0", model)
    b.add("user", "Fix the orders endpoint")
    b.add("agent", message, timestamp="2026-01-01T00:00:00+00:00", model_name=model,
          reasoning_content=reasoning,
          tool_calls=[AtifToolCall(tool_call_id="call-1", function_name="bash",
                                   arguments={"command": command})],
          observation=AtifObservation(results=[AtifResult(source_call_id="call-1",
                                                          content=output)]))
    b.add("agent", "Done.", timestamp="2026-01-01T00:00:02.5+00:00", model_name=model)
    return b.finish(Usage(input_tokens=1500, output_tokens=120, cached_tokens=300,
                          cost_usd=0.0125, n_requests=2),
                    [Usage(input_tokens=1000, output_tokens=100, cached_tokens=300),
                     Usage(input_tokens=500, output_tokens=20)])


def write_trajectory(trial_dir: Path, traj: AtifTrajectory | None = None) -> Path:
    path = trial_dir / TRAJECTORY
    path.parent.mkdir(parents=True, exist_ok=True)
    save_atif(path, traj or trajectory(), [])
    return path
