"""What an agent can reach from the objects it was handed, as a peeking agent would look.

Walks instance attributes (including private ones and slots), dicts and sequences from a root;
code (modules, classes, functions) is not followed: an agent importing the harness to load the
task itself is out of scope, being handed the answers is not.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from abcbench.hashing import iter_tree_files
from abcbench.tasks.model import Task

CODE = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType,
        types.MethodType, types.CodeType, types.FrameType)
LIMIT = 300_000


def walk(root: object) -> Iterator[object]:
    seen: set[int] = set()
    stack: list[Any] = [root]
    while stack and len(seen) < LIMIT:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        yield obj
        if isinstance(obj, str | bytes | int | float | complex | bool | PurePath) or obj is None:
            continue
        if isinstance(obj, CODE):
            continue
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
            continue
        if isinstance(obj, list | tuple | set | frozenset):
            stack.extend(obj)
            continue
        attrs = getattr(obj, "__dict__", None)
        if isinstance(attrs, dict):
            stack.append(attrs)
        for klass in type(obj).__mro__:
            for slot in getattr(klass, "__slots__", ()):
                if isinstance(slot, str) and hasattr(obj, slot):
                    stack.append(getattr(obj, slot))


def answers_reachable(root: object, task: Task) -> list[str]:
    """Descriptions of every task, task path or hidden-test body reachable from `root`."""
    paths = [str(p) for p in (task.directory, task.reference_repo, task.tests_dir)]
    bodies = {p.read_bytes() for p in iter_tree_files(task.tests_dir)}
    found: list[str] = []
    for obj in walk(root):
        if isinstance(obj, Task):
            found.append(f"a Task object ({obj.id})")
        elif isinstance(obj, str | PurePath) and any(p in str(obj) for p in paths):
            found.append(f"a task path: {obj}")
        elif isinstance(obj, bytes) and obj in bodies:
            found.append("a hidden test file's content")
    return found
