"""Validation of ATIF trajectories: against Harbor's published models (`harbor_atif`, the
authority) and the JSON Schema written from Harbor's RFC (stricter in places: no unknown
fields, `session_id` required)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import jsonschema

from tests.agents.harbor_atif import HarborUnavailable, validate_with_harbor

SCHEMA = json.loads((Path(__file__).parent / "atif-v1.4.schema.json").read_text())


def validate_atif(path: Path) -> dict[str, Any]:
    """The trajectory, after checking the schema and what the schema cannot say: step ids
    count from 1 without gaps, and every observation answers a tool call of its step."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    # test_atif's own check requires Harbor's models; the other tests do not
    with contextlib.suppress(HarborUnavailable):
        validate_with_harbor(data)
    assert [s["step_id"] for s in data["steps"]] == list(range(1, len(data["steps"]) + 1))
    for step in data["steps"]:
        ids = {c["tool_call_id"] for c in step.get("tool_calls") or []}
        for result in (step.get("observation") or {}).get("results", []):
            assert result.get("source_call_id") in ids | {None}, (step["step_id"], result)
    return data
