"""A run's results in Terminal-Bench's `results.json` shape, for tools that read that format.

Field names and values follow Terminal-Bench's `BenchmarkResults` / `TrialResults` models:
`is_resolved` (None when the harness, not the agent, failed), `failure_mode` (its
FailureMode values), `parser_results` (test name -> "passed" | "failed"), token counts and
timestamps; `pass_at_k`, `n_resolved`, `accuracy` and friends are computed the way it does
(pass@k over tasks with at least k results, k up to the fewest attempts of any task).
The verdicts are abcbench's own: this is a translation of the record, not a re-grading.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from abcbench.results.metrics import pass_at_k
from abcbench.results.models import FailureClass, TestOutcome, TrialResult
from abcbench.results.store import RunDir

RESULTS_FILE = "results.json"

#: abcbench's failure classes as Terminal-Bench failure modes. A failed build, a service that
#: did not start and failing tests are all "tests ran and did not pass" there: mode "none".
FAILURE_MODES: dict[FailureClass, str] = {
    FailureClass.agent_error: "unknown_agent_error",
    FailureClass.agent_timeout: "agent_timeout",
    FailureClass.build_failed: "none",
    FailureClass.service_did_not_start: "none",
    FailureClass.tests_failed: "none",
    FailureClass.test_timeout: "test_timeout",
    FailureClass.no_tests: "parse_error",
    FailureClass.infrastructure: "unknown",
}


def _uuid4(*parts: str) -> str:
    """A stable id that still validates as a version-4 UUID (Terminal-Bench checks it)."""
    digest = hashlib.sha256("\0".join(parts).encode()).digest()[:16]
    return str(uuid.UUID(bytes=digest, version=4))


def _instructions(tasks_dir: str) -> dict[str, str]:
    try:
        from abcbench.tasks.registry import TaskRegistry

        return {t.id: t.instruction for t in TaskRegistry.from_dir(Path(tasks_dir)).all()}
    except Exception:  # the tasks moved or changed: the results stand without instructions
        return {}


def failure_mode(r: TrialResult) -> str:
    if r.resolved:
        return "none"
    return FAILURE_MODES[r.failure_class] if r.failure_class else "unknown"


#: Where Terminal-Bench returns before it sets `is_resolved` (harness.py `_run_trial`): a
#: parse error, and a test timeout the agent did not precede. Its results.json says null there.
NO_VERDICT = (FailureClass.infrastructure, FailureClass.no_tests, FailureClass.test_timeout)


def trial_entry(r: TrialResult, instruction: str) -> dict[str, Any]:
    no_verdict = r.failure_class in NO_VERDICT and not r.resolved
    return {
        "id": _uuid4(r.run_id, r.trial_name),
        "trial_name": r.trial_name,
        "task_id": r.task_id,
        "instruction": instruction,
        "is_resolved": None if no_verdict else r.resolved,
        "failure_mode": failure_mode(r),
        "parser_results": {t.name: "passed" if t.outcome is TestOutcome.passed else "failed"
                           for t in r.tests} or None,
        "recording_path": None,
        "total_input_tokens": r.usage.input_tokens,
        "total_output_tokens": r.usage.output_tokens,
        "trial_started_at": r.started_at.isoformat(),
        "trial_ended_at": r.finished_at.isoformat() if r.finished_at else None,
        "agent_started_at": None, "agent_ended_at": None,
        "test_started_at": None, "test_ended_at": None,
    }


def terminal_bench_results(run_dir: RunDir) -> dict[str, Any]:
    manifest = run_dir.read_manifest()
    instructions = _instructions(manifest.settings.tasks_dir)
    results = sorted(run_dir.results(), key=lambda r: r.trial_name)
    entries = [trial_entry(r, instructions.get(r.task_id, "")) for r in results]
    by_task: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        by_task[r.task_id].append(r.resolved)
    fewest = min((len(v) for v in by_task.values()), default=0)
    resolved = [e for e in entries if e["is_resolved"]]
    return {
        "id": _uuid4(manifest.run_id),
        "results": entries,
        "pass_at_k": {k: sum(pass_at_k(len(v), sum(v), k) for v in by_task.values())
                      / len(by_task) for k in range(1, fewest + 1)},
        "n_resolved": len(resolved),
        "n_unresolved": len(entries) - len(resolved),
        "resolved_ids": [e["task_id"] for e in resolved],
        "unresolved_ids": [e["task_id"] for e in entries if not e["is_resolved"]],
        "accuracy": len(resolved) / len(entries) if entries else 0.0,
    }


def write_terminal_bench_results(run_dir: RunDir) -> Path:
    path = run_dir.path / RESULTS_FILE
    tmp = path.with_name(f".{RESULTS_FILE}.tmp")
    tmp.write_text(json.dumps(terminal_bench_results(run_dir), indent=2) + "\n",
                   encoding="utf-8")
    tmp.replace(path)
    return path
