"""Static rules: tests reach only the service; the instruction does not paste masked code."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.synthesis.reasons import Reason
from abcbench.synthesis.static_rules import network_problems, static_rejections
from abcbench.tasks.loader import load_task
from abcbench.tasks.mask_task import apply_selection
from abcbench.tasks.model import Task
from abcbench.tasks.scaffold import scaffold_task
from tests.synthesis.scripts import FIXTURES, INSTRUCTION

RECORDED = '''import os

import httpx

URL = os.environ["SERVICE_URL"]


def test_create():
    r = httpx.request("POST", f"{URL}/notes", json={"title": "a"}, timeout=10)
    assert r.status_code == 201
'''


@pytest.mark.parametrize("extra,found", [
    ("", None),
    ("import socket\n", "imports 'socket'"),
    ("from urllib.request import urlopen\n", "imports 'urllib.request'"),
    ("import requests\n", "imports 'requests'"),
    ("X = httpx.get('https://example.invalid/')\n", "names a URL"),
    ("def broken(:\n", "not valid Python"),
])
def test_network_rule(tmp_path: Path, extra: str, found: str | None) -> None:
    (tmp_path / "test_functional.py").write_text(RECORDED + extra)
    problems = network_problems(tmp_path)
    if found is None:
        assert problems == []
    else:
        assert len(problems) == 1 and found in problems[0]


def python_task(tmp_path: Path, instruction: str) -> Task:
    task_dir = scaffold_task(tmp_path, "python-flask-notes-crud", "python", "flask", "logic",
                             "python-flask-notes-crud", 8080,
                             source=str(FIXTURES / "python-notes"), project="notes")
    (task_dir / "instruction.md").write_text(instruction)
    (task_dir / "tests" / "test_functional.py").write_text(RECORDED)
    apply_selection(load_task(task_dir), ["notes/app.py:create_note"], [])
    return load_task(task_dir)


def test_a_specification_is_not_a_leak(tmp_path: Path) -> None:
    assert static_rejections(python_task(tmp_path, INSTRUCTION)) == []


def test_pasting_the_masked_body_is_a_leak(tmp_path: Path) -> None:
    pasted = INSTRUCTION + """
```python
    note = {"id": next_id(), "title": title.strip(), "body": str(body.get("body", "")),
```
"""
    [r] = static_rejections(python_task(tmp_path, pasted))
    assert r.reason is Reason.instruction_leaks_implementation


def test_code_outside_the_masked_body_is_not_a_leak(tmp_path: Path) -> None:
    unmasked = INSTRUCTION + '\n    app.add_url_rule("/notes", view_func=list_notes, ' \
        'methods=["GET"])\n'
    assert static_rejections(python_task(tmp_path, unmasked)) == []
