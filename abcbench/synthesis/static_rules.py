"""Static rules on a built candidate task: what the three-leg check cannot see.

- **No network in tests**: the test files (parsed with Python's own parser) may import only the
  modules the recorded tests use and hold no URL literal: they reach the service through
  SERVICE_URL and nothing else.
- **The instruction does not paste the implementation**: no substantial line of a masked body
  (the lines the overlay removed from the reference) appears in the instruction.
"""

from __future__ import annotations

import ast
import difflib
from pathlib import Path

from abcbench.synthesis.reasons import Reason, Rejection
from abcbench.tasks.model import Task

ALLOWED_IMPORTS = frozenset({"os", "httpx", "json", "re", "pytest", "typing", "time"})
NETWORK_SCHEMES = ("http://", "https://", "ws://", "wss://", "ftp://")
MIN_LEAK_CHARS = 30
MAX_TEST_BYTES = 1024 * 1024


def network_problems(tests_dir: Path) -> list[str]:
    problems: list[str] = []
    for path in sorted(tests_dir.rglob("*.py")):
        rel = path.relative_to(tests_dir).as_posix()
        if path.stat().st_size > MAX_TEST_BYTES:
            problems.append(f"{rel} is over {MAX_TEST_BYTES} bytes")
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            problems.append(f"{rel} is not valid Python")
            continue
        for node in ast.walk(tree):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            for module in modules:
                assert isinstance(node, ast.Import | ast.ImportFrom)
                if module.split(".")[0] not in ALLOWED_IMPORTS:
                    problems.append(f"{rel} line {node.lineno} imports {module!r}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value.lower().lstrip().startswith(NETWORK_SCHEMES):
                problems.append(f"{rel} line {node.lineno} names a URL of its own: tests reach "
                                "the service only through SERVICE_URL")
    return problems


def masked_lines(task: Task) -> list[str]:
    """The substantial lines of the reference that the overlay replaced."""
    overlay = task.directory / (task.spec.repository.mask.overlay or "masked")
    lines: list[str] = []
    for stub in sorted(p for p in overlay.rglob("*") if p.is_file()):
        original = task.reference_repo / stub.relative_to(overlay)
        before = original.read_text(encoding="utf-8", errors="replace").splitlines()
        after = stub.read_text(encoding="utf-8", errors="replace").splitlines()
        for line in difflib.unified_diff(before, after, lineterm="", n=0):
            if line.startswith("-") and not line.startswith("---"):
                text = line[1:].strip()
                if len(text) >= MIN_LEAK_CHARS:
                    lines.append(text)
    return lines


def leak_problems(task: Task) -> list[str]:
    instruction = " ".join(task.instruction.split())
    leaked = [line for line in masked_lines(task) if " ".join(line.split()) in instruction]
    if not leaked:
        return []
    return [f"the instruction holds {len(leaked)} line(s) of the masked code, e.g. "
            f"{leaked[0][:120]!r}"]


def static_rejections(task: Task) -> list[Rejection]:
    out = [Rejection(reason=Reason.network_in_tests, detail=p)
           for p in network_problems(task.tests_dir)]
    out += [Rejection(reason=Reason.instruction_leaks_implementation, detail=p)
            for p in leak_problems(task)]
    return out
