"""Terminal-Bench parity, proven differentially: Terminal-Bench's own pytest parser (installed
in a side venv, see `abcbench.testing.tb_reference`) and ours read the same real pytest outputs
and must agree on every test's status, in order, and on the verdict.

The venv is created on first use (pip: the one step of `make test` that needs a package
archive); CI runs this file like any unit test. Without a Python >= 3.12, or offline before the
venv exists, the test is skipped with the reason, unless ABCBENCH_REQUIRE_TB_PARITY=1 (CI) makes
that a failure.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from abcbench.grading.pytest_summary import parse_tb_pytest
from abcbench.results.models import TestOutcome
from abcbench.testing import tb_reference
from tests.unit.tb_corpus import CASES, as_pane, render

pytestmark = pytest.mark.tb_parity

MIN_CORPUS = 30


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("tb-corpus")
    with ThreadPoolExecutor(max_workers=2) as pool:  # each case is its own pytest processes
        outputs = pool.map(lambda case: render(case, root / case.name), CASES)
        return dict(zip([case.name for case in CASES], outputs, strict=True))


@pytest.fixture(scope="module")
def reference(request: pytest.FixtureRequest) -> dict[str, list[tuple[str, str]] | None]:
    """Terminal-Bench's answers on the corpus (the venv is checked before the corpus is made,
    so an offline skip is quick)."""
    required = os.environ.get("ABCBENCH_REQUIRE_TB_PARITY") == "1"
    if tb_reference.find_interpreter() is None and not required:
        pytest.skip("no Python >= 3.12 for Terminal-Bench (set ABCBENCH_TB_PYTHON)")
    try:
        tb_reference.ensure_venv()
    except tb_reference.ReferenceUnavailable as exc:
        if required:
            raise
        pytest.skip(f"Terminal-Bench {tb_reference.TB_VERSION} is not in its side venv "
                    f"({tb_reference.venv_dir()}) and could not be installed: that needs a "
                    f"package archive once (offline?): {str(exc).strip().splitlines()[-1]}")
    corpus: dict[str, str] = request.getfixturevalue("corpus")
    names = list(corpus)
    answers = tb_reference.reference_parse([corpus[n] for n in names])
    return dict(zip(names, answers, strict=True))


@pytest.fixture(scope="module")
def reference_on_pane(corpus: dict[str, str],
                      reference: dict[str, list[tuple[str, str]] | None],
                      ) -> dict[str, list[tuple[str, str]] | None]:
    names = list(corpus)
    answers = tb_reference.reference_parse([as_pane(corpus[n]) for n in names])
    return dict(zip(names, answers, strict=True))


def ours(output: str) -> list[tuple[str, str]] | None:
    parsed = parse_tb_pytest(output)
    if parsed is None:
        return None
    return [(t.name, "passed" if t.outcome is TestOutcome.passed else "failed")
            for t in parsed.tests]


def verdict(statuses: list[tuple[str, str]] | None) -> bool:
    """Terminal-Bench's `_is_resolved`: parsed, and every parsed status passed."""
    return statuses is not None and all(s == "passed" for _, s in statuses)


def test_corpus_is_large_and_varied(corpus: dict[str, str]) -> None:
    assert len(corpus) >= MIN_CORPUS
    text = "\n".join(corpus.values())
    for needle in ("XFAIL", "XPASS", "SKIPPED [1]", "ERROR", "[a b]", "KeyboardInterrupt",
                   "short test summary info"):
        assert needle in text, needle
    assert corpus["empty-output"] == ""


@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_statuses_and_verdict_match_terminal_bench(
        name: str, corpus: dict[str, str],
        reference: dict[str, list[tuple[str, str]] | None]) -> None:
    expected = reference[name]
    got = ours(corpus[name])
    assert got == expected, f"{name}:\n{corpus[name][-3000:]}"
    assert verdict(got) == verdict(expected)


@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_statuses_and_verdict_match_terminal_bench_on_the_pane(
        name: str, corpus: dict[str, str],
        reference_on_pane: dict[str, list[tuple[str, str]] | None]) -> None:
    """What `tb run` parses is the pane: both parsers read the rendered text."""
    pane = as_pane(corpus[name])
    assert ours(pane) == reference_on_pane[name], f"{name}:\n{pane[-3000:]}"


def test_colour_is_read_only_through_the_pane(
        corpus: dict[str, str],
        reference_on_pane: dict[str, list[tuple[str, str]] | None]) -> None:
    """Raw coloured output parses as nothing (and a header with nothing resolves); the pane
    shows the words, and the failure is read."""
    assert ours(corpus["colour-fail-rA"]) == []
    assert verdict(reference_on_pane["colour-fail-rA"]) is False
    on_pane = ours(as_pane(corpus["colour-fail-rA"])) or []
    assert [name for name, status in on_pane if status == "failed"] == [
        "test_bad - AssertionError: arithmetic"]  # its last " - " part dropped, as tb does


def test_reference_disagrees_with_the_native_verdict(
        reference: dict[str, list[tuple[str, str]] | None]) -> None:
    """Guards the corpus: it holds the cases where Terminal-Bench passes what native fails."""
    assert verdict(reference["all-skipped-rA"]) is True
    assert verdict(reference["xfail-rA"]) is True
    assert verdict(reference["empty-file-rA"]) is False  # no summary at all: a parse error
    assert verdict(reference["two-sessions-pass-then-fail"]) is False
    assert verdict(reference["params-spaces-rA"]) is False


def test_outputs_are_real_pytest_runs(corpus: dict[str, str], tmp_path: Path) -> None:
    """The corpus is made now by the installed pytest, not stored text."""
    assert "test session starts" in corpus["pass-rA"]
    assert "2 passed" in corpus["pass-rA"]
    assert "1 failed, 1 passed" in corpus["fail-rA"]
