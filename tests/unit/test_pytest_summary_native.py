"""Native mode's summary fallback: strict, and blind to nothing pytest reports."""

from __future__ import annotations

from abcbench.grading.pytest_summary import parse_pytest_summary, split_node
from abcbench.grading.verdict import all_passed
from abcbench.results.models import TestOutcome

TWO_SESSIONS = """
=========================== short test summary info ============================
PASSED test_p.py::test_one
============================== 1 passed in 0.01s ===============================
============================= test session starts ==============================
=========================== short test summary info ============================
FAILED test_f.py::test_bad - assert 4 == 5
========================= 1 failed in 0.02s ==========================
"""

SPACED = """
=========================== short test summary info ============================
PASSED test_w.py::test_words[plain]
FAILED test_w.py::test_words[two words] - AssertionError: assert ' ' not in 'two words'
FAILED test_w.py::test_words[x - y] - AssertionError: a - b
ERROR test_w.py::test_setup[a [nested] id] - RuntimeError: boom
============================ 3 failed, 1 passed ================================
"""

SKIPPED = """
=========================== short test summary info ============================
PASSED test_s.py::test_ran
SKIPPED [2] test_s.py:7: needs a GPU - see docs
XFAIL test_s.py::test_known - known bug
========================= 1 passed, 2 skipped, 1 xfailed =========================
"""


def test_every_session_is_read() -> None:
    tests = parse_pytest_summary(TWO_SESSIONS)
    assert [(t.name, t.outcome) for t in tests] == [
        ("test_p.py::test_one", TestOutcome.passed),
        ("test_f.py::test_bad", TestOutcome.failed),
    ]
    assert not all_passed(tests), "a failing second session is not a pass"


def test_ids_with_spaces_dashes_and_brackets() -> None:
    tests = parse_pytest_summary(SPACED)
    assert [(t.name, t.outcome, t.message) for t in tests] == [
        ("test_w.py::test_words[plain]", TestOutcome.passed, None),
        ("test_w.py::test_words[two words]", TestOutcome.failed,
         "AssertionError: assert ' ' not in 'two words'"),
        ("test_w.py::test_words[x - y]", TestOutcome.failed, "AssertionError: a - b"),
        ("test_w.py::test_setup[a [nested] id]", TestOutcome.error, "RuntimeError: boom"),
    ]


def test_skipped_lines_count_their_tests_and_do_not_pass() -> None:
    tests = parse_pytest_summary(SKIPPED)
    assert [(t.name, t.outcome) for t in tests] == [
        ("test_s.py::test_ran", TestOutcome.passed),
        ("test_s.py:7", TestOutcome.skipped),
        ("test_s.py:7", TestOutcome.skipped),
        ("test_s.py::test_known", TestOutcome.skipped),
    ]
    assert tests[1].message == "needs a GPU - see docs"
    assert not all_passed(tests)


def test_split_node() -> None:
    assert split_node("t.py::a[b - c] - msg - more") == ("t.py::a[b - c]", "msg - more")
    assert split_node("t.py::a") == ("t.py::a", None)
