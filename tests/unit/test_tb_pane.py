"""`render_pane` against the real tmux: the same byte streams replayed into a detached tmux pane
of Terminal-Bench's geometry (`abcbench.testing.tmux_reference`) and rendered by ours must give
the same `capture-pane -p -S -` text, line for line.

Skipped when tmux is not installed (apt-get install tmux), unless ABCBENCH_REQUIRE_TMUX=1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from abcbench.grading.tb_pane import HISTORY_LIMIT, PANE_COLUMNS, PANE_ROWS, render_pane
from abcbench.testing.tmux_reference import TmuxUnavailable, tmux_path, tmux_render

ESC = "\x1b"


def tty(text: str) -> bytes:
    """What a program's `text` becomes on a tty: `\\n` -> `\\r\\n` (ONLCR)."""
    return text.replace("\n", "\r\n").encode()


def lines(n: int, fmt: str = "log line {}") -> str:
    return "".join(fmt.format(i) + "\n" for i in range(n))


def coloured_pytest(tmp: Path, env: dict[str, str], args: list[str]) -> bytes:
    """A real pytest run with colour forced one of three ways, as a tty would carry it."""
    (tmp / "test_c.py").write_text("def test_ok():\n    pass\n\n"
                                   "def test_bad():\n    assert 1 == 2, 'one - two'\n")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CI"))}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider",
                           "-p", "no:randomly", *args], cwd=tmp, capture_output=True,
                          env={**base, "COLUMNS": "160", **env}, timeout=120, check=False)
    assert b"\x1b[" in proc.stdout, "pytest did not colour its output"
    return proc.stdout.replace(b"\n", b"\r\n")


STREAMS: dict[str, bytes] = {
    "plain": tty("hello\nworld\n"),
    "sgr-colours": tty(f"{ESC}[31mFAILED{ESC}[0m t.py::a - x\n{ESC}[1;32mPASSED{ESC}[m t.py::b\n"
                       f"{ESC}[38;5;208m256{ESC}[0m {ESC}[38;2;1;2;3mtrue{ESC}[49m\n"),
    "cr-overwrite": tty("ERROR stale: warming\rcache ready\n"),
    "cr-overwrite-shorter": tty("ERROR stale: warming up\rdone\n"),
    "cr-erase-line": tty(f"ERROR stale: warming up\r{ESC}[Kdone\n"),
    "progress-bar": tty("".join(f"\r[{'#' * i}{'.' * (20 - i)}] {i * 5}%" for i in range(21))
                        + "\n"),
    "wrap-long": tty("FAILED t.py::test_" + "x" * 400 + "\n"),
    "wrap-exactly-160": tty("A" * PANE_COLUMNS + "\nnext\n"),
    "wrap-then-cr": tty("B" * 200 + "\rC\n"),
    "no-autowrap": tty(f"{ESC}[?7l" + "D" * 300 + f"\n{ESC}[?7hE\n"),
    "tabs": tty("a\tb\tc\n\t\tX\n" + "x" * 155 + "\ty\n"),
    "cursor-moves": tty(f"one\ntwo\n{ESC}[1A{ESC}[5Cxx\n{ESC}[2;3Hzz\n{ESC}[10Dq{ESC}[200Cr\n"),
    "save-restore-cursor": tty(f"abc{ESC}7\ndef{ESC}8X\n"),
    "erase-display": tty(f"top\nmiddle\n{ESC}[1;1H{ESC}[Jfresh\n"),
    "clear-screen-scrolls-into-history": tty(lines(10) + f"{ESC}[H{ESC}[2Jafter\n"),
    "clear-history": tty(lines(80) + f"{ESC}[H{ESC}[2J{ESC}[3Jafter\n"),
    "alternate-screen": tty(f"before\n{ESC}[?1049h" + lines(100) + f"{ESC}[?1049lafter\n"),
    "wide-chars": tty("中文字符测试 ok\n" + "x" * 159 + "中y\n" + "é and ü\n"),
    "history-just-under": tty(lines(HISTORY_LIMIT + PANE_ROWS - 1)),
    "history-over": tty(lines(HISTORY_LIMIT + PANE_ROWS + 1)),
    "history-far-over": tty(lines(5321)),
    "history-long-lines": tty(lines(1500, "wrapped {} " + "w" * 200)),
    "invalid-utf8": b"ok \xff\xfe bytes\r\n",
}


@pytest.fixture(scope="module", autouse=True)
def _tmux() -> None:
    try:
        tmux_path()
    except TmuxUnavailable as exc:
        if os.environ.get("ABCBENCH_REQUIRE_TMUX") == "1":
            raise
        pytest.skip(f"{exc}: the pane renderer is compared with the real tmux")


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_pane_text_is_tmux_pane_text(name: str) -> None:
    data = STREAMS[name]
    assert render_pane(data) == tmux_render(data)


@pytest.mark.parametrize(("how", "env", "args"), [
    ("FORCE_COLOR", {"FORCE_COLOR": "1"}, []),
    ("PY_COLORS", {"PY_COLORS": "1"}, []),
    ("--color=yes", {}, ["--color=yes"]),
])
def test_coloured_pytest_output_renders_as_tmux_shows_it(
        tmp_path: Path, how: str, env: dict[str, str], args: list[str]) -> None:
    data = coloured_pytest(tmp_path, env, args)
    pane = render_pane(data)
    assert pane == tmux_render(data), how
    assert ESC not in pane and "\nFAILED test_c.py::test_bad - " in pane, how


def test_history_keeps_tmux_default_not_terminal_bench_50000() -> None:
    pane = render_pane(tty("HEADER\n" + lines(HISTORY_LIMIT + PANE_ROWS + 50)))
    assert "HEADER" not in pane
    assert PANE_ROWS + HISTORY_LIMIT * 9 // 10 < pane.count("\n") <= PANE_ROWS + HISTORY_LIMIT
