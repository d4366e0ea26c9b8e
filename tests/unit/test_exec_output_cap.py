"""Exec output is capped to its head and tail, saying how much was dropped."""

from __future__ import annotations

from abcbench.sandbox.container import _CappedBuffer


def test_small_output_is_kept_whole() -> None:
    buf = _CappedBuffer(100)
    buf.write(b"hello ")
    buf.write(b"world")
    assert buf.text() == "hello world"
    assert buf.dropped == 0


def test_large_output_keeps_head_and_tail() -> None:
    buf = _CappedBuffer(20)
    for i in range(100):
        buf.write(f"{i:03d}\n".encode())
    text = buf.text()
    assert text.startswith("000\n001\n")
    assert text.endswith("098\n099\n")
    assert "bytes truncated" in text
    assert buf.dropped == 400 - 20
