"""JUnit and pytest-summary parsing, and the verdict rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.grading.junit import JUnitParseError, parse_junit
from abcbench.grading.pytest_summary import parse_pytest_summary
from abcbench.grading.verdict import all_passed, count_passed
from abcbench.results.models import TestOutcome, TestResult

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4">
<testcase classname="test_functional" name="test_ok" time="0.010"/>
<testcase classname="test_functional" name="test_bad" time="0.020">
  <failure message="assert 501 == 201">details</failure></testcase>
<testcase classname="test_functional" name="test_err" time="0.001">
  <error message="fixture exploded"/></testcase>
<testcase classname="test_functional" name="test_skip" time="0">
  <skipped message="not today"/></testcase>
</testsuite></testsuites>"""

SUMMARY = """
============================= test session starts ==============================
collected 4 items

test_outputs.py .F.s                                                     [100%]
=========================== short test summary info ============================
PASSED test_outputs.py::test_health
PASSED test_outputs.py::test_counts
FAILED test_outputs.py::test_top - assert 'b' == 'a'
SKIPPED [1] test_outputs.py:20: no reason
ERROR test_outputs.py::test_setup
==================== 1 failed, 2 passed, 1 skipped in 0.12s ====================
"""


def test_junit_outcomes() -> None:
    tests = parse_junit(JUNIT)
    assert [(t.name, t.outcome) for t in tests] == [
        ("test_functional::test_ok", TestOutcome.passed),
        ("test_functional::test_bad", TestOutcome.failed),
        ("test_functional::test_err", TestOutcome.error),
        ("test_functional::test_skip", TestOutcome.skipped),
    ]
    assert tests[1].message is not None and "assert 501 == 201" in tests[1].message
    assert tests[0].duration_sec == pytest.approx(0.01)


def test_junit_garbage_is_an_error() -> None:
    with pytest.raises(JUnitParseError):
        parse_junit("<testsuite")


def test_pytest_summary() -> None:
    tests = parse_pytest_summary(SUMMARY)
    assert [(t.name, t.outcome) for t in tests] == [
        ("test_outputs.py::test_health", TestOutcome.passed),
        ("test_outputs.py::test_counts", TestOutcome.passed),
        ("test_outputs.py::test_top", TestOutcome.failed),
        ("test_outputs.py:20", TestOutcome.skipped),
        ("test_outputs.py::test_setup", TestOutcome.error),
    ]
    assert tests[2].message == "assert 'b' == 'a'"


def test_summary_missing_means_no_evidence() -> None:
    assert parse_pytest_summary("collected 0 items\n\n==== no tests ran in 0.01s ====") == []


def result(outcome: TestOutcome) -> TestResult:
    return TestResult(name="t", outcome=outcome)


def test_verdict_rules() -> None:
    assert not all_passed([]), "an empty parse is never a pass"
    assert all_passed([result(TestOutcome.passed)] * 3)
    assert not all_passed([result(TestOutcome.passed), result(TestOutcome.skipped)]), \
        "a skipped test is not a passed test"
    assert count_passed([result(TestOutcome.passed), result(TestOutcome.failed)]) == 1


def test_build_faults_are_classified_by_type_never_by_text() -> None:
    """A build stream's error is text the submission can print (`RUN echo ...`): whatever it
    says, it is the submission's. Only an `EngineFault` raised at the harness's own call is
    the engine's (was: a regular expression on the message made these infrastructure)."""
    from abcbench.errors import EngineFault
    from abcbench.policy import FaultFacts, classify
    from abcbench.results.models import FailureClass, Stage
    from abcbench.sandbox.images import ImageBuildError

    def decided(exc: Exception) -> tuple[FailureClass | None, bool]:
        decision = classify(FaultFacts(exc, Stage.build, True))
        return decision.failure, decision.retryable

    for message in ("failed to get digest sha256:f61a: open /var/lib/docker/image/x: "
                    "no such file or directory",
                    "write /var/lib/docker/tmp/x: no space left on device",
                    "The command '/bin/sh -c javac Main.java' returned a non-zero code: 1",
                    "COPY failed: file not found in build context"):
        assert decided(ImageBuildError(message)) == (FailureClass.build_failed, False), message
    assert decided(EngineFault("the engine failed the build (HTTP 500)", status_code=500)) \
        == (FailureClass.infrastructure, True)


def test_label_instruction_after_every_from(tmp_path: Path) -> None:
    """One LABEL right after each FROM (its layers inherit it), in the canonical form: the
    submission's file is not touched, and a dangling continuation cannot swallow anything."""
    from abcbench.grading import build_cache
    from abcbench.grading.dockerfile_parse import parse

    def labelled(text: str) -> str:
        df = parse(text)
        found = build_cache.stages(df, tmp_path, "d", "root", lambda _ref: None)
        return build_cache.rewrite(df, found, [0] * len(found), "t",
                                   {"abcbench.run": "r1"}).render()

    label = 'LABEL "abcbench.run"="r1"'
    assert labelled("FROM abcbench/python AS build\nRUN make \\\n") == (
        f"FROM abcbench/python AS build\n{label}\nRUN make \n")
    assert labelled("FROM \\\n  a AS b\nRUN x\nFROM c\nCOPY --from=b /x /x\n") == (
        f"FROM   a AS b\n{label}\nRUN x\nFROM c\n{label}\nCOPY --from=b /x /x\n")
