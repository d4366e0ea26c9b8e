"""A corpus of real pytest outputs for the Terminal-Bench parser parity test.

Every output is made by running pytest on small synthetic test files in a temporary folder,
stdout and stderr merged as a terminal shows them (Terminal-Bench parses its tmux pane). A case
may run several pytest sessions in a row, and may cut the output short afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PASSING = """
def test_one():
    assert 1 + 1 == 2

def test_two():
    assert "a".upper() == "A"
"""
FAILING = """
def test_ok():
    assert True

def test_bad():
    assert 2 + 2 == 5, "arithmetic - is broken"
"""
SKIPS = """
import pytest

def test_ran():
    assert True

@pytest.mark.skip(reason="not on this platform - see docs")
def test_skipped():
    pass

def test_skip_inside():
    pytest.skip("skipped at run time")
"""
ALL_SKIPPED = """
import pytest

@pytest.mark.skip(reason="needs a GPU")
def test_a():
    pass

@pytest.mark.skip(reason="needs a GPU")
def test_b():
    pass
"""
XFAILS = """
import pytest

@pytest.mark.xfail(reason="known bug")
def test_known_bug():
    assert False

def test_fine():
    assert True
"""
XPASS = """
import pytest

@pytest.mark.xfail(reason="was a bug")
def test_now_passes():
    assert True
"""
XPASS_STRICT = """
import pytest

@pytest.mark.xfail(reason="must fail", strict=True)
def test_strict():
    assert True
"""
PARAMS = """
import pytest

@pytest.mark.parametrize("text", ["a b", "hello world", "x - y", "tab\\there", "[nested]"])
def test_words(text):
    assert " " not in text

@pytest.mark.parametrize("n", [1, 2])
def test_numbers(n):
    assert n > 0
"""
PARAMS_PASSING = """
import pytest

@pytest.mark.parametrize("text", ["a b", "c d e"], ids=["two words", "three words here"])
def test_spaced(text):
    assert text
"""
SETUP_ERROR = """
import pytest

@pytest.fixture
def broken():
    raise RuntimeError("fixture exploded - badly")

def test_uses_broken(broken):
    pass

def test_fine():
    pass
"""
TEARDOWN_ERROR = """
import pytest

@pytest.fixture
def messy():
    yield 1
    raise RuntimeError("teardown failed")

def test_with_teardown(messy):
    assert messy == 1
"""
COLLECTION_ERROR = """
import not_a_module_that_exists

def test_never():
    pass
"""
CLASSES = """
class TestApi:
    def test_get(self):
        assert True

    def test_post(self):
        assert False

class TestOther:
    def test_get(self):
        assert True
"""
INTERRUPT = """
def test_first():
    assert True

def test_interrupts():
    raise KeyboardInterrupt

def test_never_reached():
    assert True
"""
UNICODE = """
import pytest

@pytest.mark.parametrize("word", ["café", "naïve words", "日本"])
def test_unicode(word):
    assert word != "日本"
"""
MULTILINE = """
def test_long_message():
    assert {"a": 1, "b": [1, 2, 3]} == {"a": 1, "b": [1, 2, 4]}

def test_message_with_newlines():
    raise AssertionError("first line\\nsecond line - with dash\\nthird")
"""
WARNS = """
import warnings

def test_warns():
    warnings.warn("deprecated - use the other one", DeprecationWarning)
    assert True
"""
SPACE_ONLY_FAILS = """
import pytest

@pytest.mark.parametrize("text", ["plain", "two words", "x"])
def test_no_spaces(text):
    assert " " not in text
"""
EMPTY = "# no tests here\n"
PRINTS = """
def test_prints_summary_like_lines():
    print("FAILED fake::test - from stdout")
    print("PASSED fake::other")
    assert True
"""


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str]
    sessions: list[list[str]]
    """One pytest argument list per session, run in order; output concatenated."""
    cut: Callable[[str], str] | None = None
    extra: list[str] = field(default_factory=list)
    """Shell-free lines printed before the sessions (e.g. a server's log)."""


def _before(marker: str) -> Callable[[str], str]:
    return lambda text: text.split(marker, 1)[0]


def _half_summary(text: str) -> str:
    head, sep, tail = text.partition("short test summary info")
    return head + sep + tail[: len(tail) // 2]


def _right_after_header(text: str) -> str:
    head, sep, tail = text.partition("short test summary info")
    return head + sep + tail.split("\n", 1)[0] + "\n"


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


RA = ["-rA"]
CASES: list[Case] = [
    Case("pass-rA", {"test_p.py": PASSING}, [RA]),
    Case("pass-no-rA", {"test_p.py": PASSING}, [[]]),
    Case("fail-rA", {"test_f.py": FAILING}, [RA]),
    Case("fail-default-summary", {"test_f.py": FAILING}, [[]]),
    Case("fail-q-rA", {"test_f.py": FAILING}, [["-q", "-rA"]]),
    Case("fail-v-rA", {"test_f.py": FAILING}, [["-v", "-rA"]]),
    Case("fail-tb-no", {"test_f.py": FAILING}, [["-rA", "--tb=no"]]),
    Case("skip-rA", {"test_s.py": SKIPS}, [RA]),
    Case("skip-rs", {"test_s.py": SKIPS}, [["-rs"]]),
    Case("skip-default", {"test_s.py": SKIPS}, [[]]),
    Case("all-skipped-rA", {"test_s.py": ALL_SKIPPED}, [RA]),
    Case("all-skipped-rs", {"test_s.py": ALL_SKIPPED}, [["-rs"]]),
    Case("xfail-rA", {"test_x.py": XFAILS}, [RA]),
    Case("xfail-rx", {"test_x.py": XFAILS}, [["-rx"]]),
    Case("xpass-rA", {"test_x.py": XPASS}, [RA]),
    Case("xpass-strict-rA", {"test_x.py": XPASS_STRICT}, [RA]),
    Case("params-spaces-rA", {"test_params.py": PARAMS}, [RA]),
    Case("params-spaces-default", {"test_params.py": PARAMS}, [[]]),
    Case("params-space-only-failure-rA", {"test_sp.py": SPACE_ONLY_FAILS}, [RA]),
    Case("params-passing-ids-rA", {"test_ids.py": PARAMS_PASSING}, [RA]),
    Case("setup-error-rA", {"test_e.py": SETUP_ERROR}, [RA]),
    Case("setup-error-default", {"test_e.py": SETUP_ERROR}, [[]]),
    Case("teardown-error-rA", {"test_e.py": TEARDOWN_ERROR}, [RA]),
    Case("collection-error-rA", {"test_c.py": COLLECTION_ERROR, "test_p.py": PASSING}, [RA]),
    Case("collection-error-default", {"test_c.py": COLLECTION_ERROR}, [[]]),
    Case("classes-rA", {"test_cls.py": CLASSES}, [RA]),
    Case("same-name-two-files", {"test_a.py": FAILING, "test_b.py": FAILING.replace(
        "2 + 2 == 5", "2 + 2 == 4")}, [RA]),
    Case("keyboard-interrupt-rA", {"test_k.py": INTERRUPT}, [RA]),
    Case("unicode-rA", {"test_u.py": UNICODE}, [RA]),
    Case("multiline-message-rA", {"test_m.py": MULTILINE}, [RA]),
    Case("warnings-rA", {"test_w.py": WARNS}, [RA]),
    Case("empty-file-rA", {"test_empty.py": EMPTY}, [RA]),
    Case("no-files-rA", {}, [RA]),
    Case("stdout-lines-rA", {"test_o.py": PRINTS}, [["-rA", "-s"]]),
    Case("two-sessions-pass-then-fail", {"test_p.py": PASSING, "test_f.py": FAILING},
         [[*RA, "test_p.py"], [*RA, "test_f.py"]]),
    Case("two-sessions-fail-then-pass", {"test_p.py": PASSING, "test_f.py": FAILING},
         [[*RA, "test_f.py"], [*RA, "test_p.py"]]),
    Case("two-sessions-second-short", {"test_p.py": PASSING, "test_f.py": FAILING},
         [[*RA, "test_p.py"], ["test_f.py"]]),
    Case("two-sessions-first-no-summary", {"test_p.py": PASSING, "test_f.py": FAILING},
         [["test_p.py"], [*RA, "test_f.py"]]),
    Case("two-sessions-then-usage-error", {"test_p.py": PASSING},
         [[*RA, "test_p.py"], ["missing_dir/"]]),
    Case("usage-error-then-session", {"test_p.py": PASSING},
         [["missing_dir/"], [*RA, "test_p.py"]]),
    Case("truncated-mid-summary", {"test_params.py": PARAMS, "test_f.py": FAILING}, [RA],
         cut=_half_summary),
    Case("truncated-before-summary", {"test_f.py": FAILING}, [RA],
         cut=_before("short test summary info")),
    Case("truncated-after-header", {"test_f.py": FAILING}, [RA], cut=_right_after_header),
    Case("crlf-terminal-lines", {"test_f.py": FAILING, "test_s.py": SKIPS}, [RA], cut=_crlf),
    Case("empty-output", {}, [], cut=lambda _text: ""),
    Case("server-log-before", {"test_f.py": FAILING}, [RA],
         extra=["PASSED this line is before any summary", "FAILED so is this one"]),
    # Coloured summaries: raw, they hide every word; the terminal pane renders them away.
    Case("colour-fail-rA", {"test_f.py": FAILING, "test_s.py": SKIPS}, [[*RA, "--color=yes"]]),
    Case("colour-xfail-xpass-rA", {"test_x.py": XFAILS, "test_xp.py": XPASS},
         [[*RA, "--color=yes"]]),
    Case("colour-params-rA", {"test_params.py": PARAMS}, [[*RA, "--color=yes"]]),
]


def as_pane(output: str) -> str:
    """The output as Terminal-Bench's pane shows it: written to a tty (`\n` -> `\r\n`), then
    rendered at 160x40 with tmux's history."""
    from abcbench.grading.tb_pane import render_pane

    return render_pane(output.replace("\r\n", "\n").replace("\n", "\r\n").encode())


def render(case: Case, tmp: Path) -> str:
    """Run the case's sessions in a fresh folder; the merged output, as a terminal shows it."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name, text in case.files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CI"))}
    env.update(PYTHONDONTWRITEBYTECODE="1", COLUMNS="160", LINES="40", PYTHONHASHSEED="0")
    chunks = [line + "\n" for line in case.extra]
    for args in case.sessions:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly",
             *args],
            cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=120, check=False,
        )
        chunks.append(proc.stdout)
    output = "".join(chunks)
    return case.cut(output) if case.cut else output
