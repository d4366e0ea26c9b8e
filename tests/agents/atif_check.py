"""Validation of ATIF trajectories against the JSON Schema written from Harbor's RFC."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA = json.loads((Path(__file__).parent / "atif-v1.4.schema.json").read_text())


def validate_atif(path: Path) -> dict[str, Any]:
    """The trajectory, after checking the schema and what the schema cannot say: step ids
    count from 1 without gaps, and every observation answers a tool call of its step."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert [s["step_id"] for s in data["steps"]] == list(range(1, len(data["steps"]) + 1))
    for step in data["steps"]:
        ids = {c["tool_call_id"] for c in step.get("tool_calls") or []}
        for result in (step.get("observation") or {}).get("results", []):
            assert result.get("source_call_id") in ids | {None}, (step["step_id"], result)
    return data
