"""The "short test summary info" of `pytest -rA`, as Terminal-Bench tasks print it."""

from __future__ import annotations

import re

from abcbench.results.models import TestOutcome, TestResult

SUMMARY_HEADER = re.compile(r"^=+ short test summary info =+$")
LINE = re.compile(r"^(PASSED|FAILED|ERROR|XFAIL|XPASS|SKIPPED)\s+(\S+)(?:\s+-\s+(.*))?$")
_OUTCOMES = {
    "PASSED": TestOutcome.passed,
    "FAILED": TestOutcome.failed,
    "ERROR": TestOutcome.error,
    "XFAIL": TestOutcome.skipped,
    "XPASS": TestOutcome.failed,  # an unexpected pass means the test's premise is wrong
    "SKIPPED": TestOutcome.skipped,
}


def parse_pytest_summary(output: str) -> list[TestResult]:
    """Per-test outcomes from the summary section; empty when the section is missing."""
    results: list[TestResult] = []
    in_summary = False
    for raw in output.splitlines():
        line = raw.strip()
        if SUMMARY_HEADER.match(line):
            in_summary = True
            continue
        if not in_summary:
            continue
        if line.startswith("=") and not SUMMARY_HEADER.match(line):
            break  # the closing "=== N passed in Xs ===" line
        match = LINE.match(line)
        if match:
            word, node, message = match.groups()
            results.append(TestResult(name=node, outcome=_OUTCOMES[word], message=message))
    return results
