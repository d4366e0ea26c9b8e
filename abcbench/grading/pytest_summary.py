"""pytest's "short test summary info" (`-rA`), read two ways on purpose.

`parse_pytest_summary` is native mode's fallback when pytest wrote no JUnit report: strict, every
session's summary block, node ids with spaces and brackets, `SKIPPED [n] file:line: reason`
lines; skipped and xfail are not passes (`abcbench.grading.verdict`).

`parse_tb_pytest` is Terminal-Bench's reading, reproduced exactly so that Terminal-Bench mode
gives Terminal-Bench's verdicts (docs/terminal-bench.md); tests/unit/test_tb_parser_parity.py
checks it against Terminal-Bench's own parser on real pytest outputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from abcbench.results.models import TestOutcome, TestResult

SUMMARY_HEADER = re.compile(r"^=+ short test summary info =+$")
_WORD = re.compile(r"^(PASSED|FAILED|ERROR|XFAIL|XPASS|SKIPPED)\s+(.*)$")
_SKIP_LINE = re.compile(r"^\[(\d+)\]\s+(.*?):\s(.*)$")
_OUTCOMES = {
    "PASSED": TestOutcome.passed,
    "FAILED": TestOutcome.failed,
    "ERROR": TestOutcome.error,
    "XFAIL": TestOutcome.skipped,
    "XPASS": TestOutcome.failed,  # an unexpected pass means the test's premise is wrong
    "SKIPPED": TestOutcome.skipped,
}
MESSAGE_SEP = " - "


def parse_pytest_summary(output: str) -> list[TestResult]:
    """Per-test outcomes from every summary block in `output`; empty when there is none."""
    results: list[TestResult] = []
    in_summary = False
    for raw in output.splitlines():
        line = raw.strip()
        if SUMMARY_HEADER.match(line):
            in_summary = True
            continue
        if not in_summary:
            continue
        if line.startswith("="):
            in_summary = False  # "=== N passed in Xs ===": this session's block is over
            continue
        match = _WORD.match(line)
        if match:
            results.extend(_native_results(match.group(1), match.group(2)))
    return results


def _native_results(word: str, rest: str) -> list[TestResult]:
    outcome = _OUTCOMES[word]
    skip = _SKIP_LINE.match(rest) if word == "SKIPPED" else None
    if skip:  # "SKIPPED [2] t.py:8: reason" stands for two skipped tests at t.py:8
        count, where, reason = skip.groups()
        return [TestResult(name=where, outcome=outcome, message=reason)] * int(count)
    node, message = split_node(rest)
    return [TestResult(name=node, outcome=outcome, message=message)]


def split_node(rest: str) -> tuple[str, str | None]:
    """`t.py::test[a - b] - msg` -> node, message: the first " - " outside brackets ends
    the node id, so parameter ids may hold spaces, dashes and nested brackets."""
    depth = 0
    for i, char in enumerate(rest):
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif depth == 0 and rest.startswith(MESSAGE_SEP, i):
            return rest[:i], rest[i + len(MESSAGE_SEP):]
    return rest, None


# -- Terminal-Bench --------------------------------------------------------------------------

TB_HEADER = re.compile(r"=+\s*short test summary info\s*=+", re.IGNORECASE)
"""Searched anywhere, not per line: everything after its first match is read."""
TB_PASSING_WORDS = frozenset({"PASSED", "XFAIL", "SKIPPED"})
TB_FAILING_WORDS = frozenset({"FAILED", "XPASS", "ERROR"})


@dataclass(frozen=True)
class TbParse:
    """Terminal-Bench's parse: one passed/failed status per test name, in first-seen order."""

    tests: list[TestResult]

    @property
    def resolved(self) -> bool:
        """Every status passed; an empty parse counts as resolved there."""
        return all(t.outcome is TestOutcome.passed for t in self.tests)


def parse_tb_pytest(output: str) -> TbParse | None:
    """Terminal-Bench's pytest parser, semantics for semantics; None where it raises (no
    summary header: its harness records a parse error, unresolved).

    From the first header to the end of the output, in every later session too, each line whose
    first word (colons stripped) is a pytest outcome names a test: the text after the first `::`
    of the rest of the line; a FAILED line loses its last " - " part first. XFAIL and SKIPPED
    pass, XPASS and ERROR fail; a later line for the same name overrides its status.
    """
    header = TB_HEADER.search(output)
    if header is None:
        return None
    statuses: dict[str, tuple[bool, str, str | None]] = {}
    for line in output[header.end():].splitlines():
        parsed = _tb_line(line)
        if parsed is not None:
            name, word, message = parsed
            statuses[name] = (word in TB_PASSING_WORDS, word, message)
    return TbParse([
        TestResult(name=name, outcome=TestOutcome.passed if ok else TestOutcome.failed,
                   message=message if word in ("PASSED", "FAILED") else
                   f"{word}{': ' + message if message else ''}")
        for name, (ok, word, message) in statuses.items()
    ])


def _tb_line(line: str) -> tuple[str, str, str | None] | None:
    message = None
    if line.startswith("FAILED") and MESSAGE_SEP in line:
        line, message = line.rsplit(MESSAGE_SEP, 1)
    fields = line.split(maxsplit=1)
    if len(fields) < 2:
        return None
    word = fields[0].strip().strip(":")
    if word not in TB_PASSING_WORDS | TB_FAILING_WORDS:
        return None  # includes "UNKNOWN", which Terminal-Bench reads and then drops
    name = fields[1].strip().split("::", 1)[-1]
    return (name, word, message) if name else None
