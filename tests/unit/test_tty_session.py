"""The terminal wrapper's first line (abcbench.sandbox.tty): read, then cut from the pane."""

from __future__ import annotations

from abcbench.sandbox.tty import _split_session


def test_the_wrappers_line_is_read_and_cut() -> None:
    session, shown = _split_session(b"abcbench-tb-session 42 777 tmux-256color\r\nroot@x:/# ls\r\n")
    assert session == ("42", 777)
    assert shown == b"root@x:/# ls\r\n"


def test_a_stream_without_it_is_kept_whole() -> None:
    assert _split_session(b"root@x:/# ls\r\n") == (None, b"root@x:/# ls\r\n")
    assert _split_session(b"abcbench-tb-session oops\r\nrest") == (None, b"rest")
    assert _split_session(b"abcbench-tb-session 7 many screen\r\n")[0] == ("7", 2000)
