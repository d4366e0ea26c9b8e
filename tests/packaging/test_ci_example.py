"""The example CI workflow and its job file: the workflow parses, runs `abcbench run -c` on a
job file that exists and validates against the job schema, publishes the step summary and
uploads the run folders it names."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from abcbench.jobs import expand, job_schema, load_job, resolve_path

CHECKOUT = Path(__file__).resolve().parents[2]
WORKFLOW = CHECKOUT / "examples" / "leaderboard-ci.yml"


def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, Any]]:
    jobs = workflow()["jobs"]
    assert len(jobs) == 1
    return list(next(iter(jobs.values()))["steps"])


def job_file() -> Path:
    return CHECKOUT / workflow()["env"]["JOB_FILE"]


def test_the_workflow_runs_the_job_file_it_names() -> None:
    data = workflow()
    assert data[True if True in data else "on"], "a trigger"  # YAML 1.1 reads `on` as True
    runs = [s["run"] for s in steps() if "run" in s]
    assert any(re.search(r'abcbench run -c "\$JOB_FILE" --run-id "\$RUN_NAME"', r) for r in runs)
    assert job_file().is_file()
    assert any("GITHUB_STEP_SUMMARY" in r for r in runs)


def test_the_example_job_file_validates_against_the_schema() -> None:
    path = job_file()
    raw = yaml.safe_load(path.read_text())
    jsonschema.validate(raw, json.loads(json.dumps(job_schema())))
    job = load_job(path)
    runs = [cell.run_id for cell in expand(job)]
    assert len(runs) == len(set(runs)) >= 2
    # The workflow uploads the run folders where the job file puts them.
    output = resolve_path(path, job.output)
    assert output is not None and output.resolve() == (CHECKOUT / "runs").resolve()
    upload = next(s for s in steps() if str(s.get("uses", "")).startswith(
        "actions/upload-artifact"))
    assert "runs/${{ env.RUN_NAME }}--*/" in upload["with"]["path"]


def test_a_broken_job_file_would_fail_the_schema(tmp_path: Path) -> None:
    """The schema check above is not vacuous."""
    raw = yaml.safe_load(job_file().read_text())
    raw["n_attempts"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(raw, job_schema())
