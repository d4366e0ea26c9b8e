"""The verdict: resolved iff at least one test ran and every test passed.

An empty parse is never a pass, and a skipped test is not a passed one: both are mistakes that
other harnesses make.
"""

from __future__ import annotations

from abcbench.results.models import TestOutcome, TestResult


def all_passed(tests: list[TestResult]) -> bool:
    return bool(tests) and all(t.outcome is TestOutcome.passed for t in tests)


def count_passed(tests: list[TestResult]) -> int:
    return sum(t.outcome is TestOutcome.passed for t in tests)
