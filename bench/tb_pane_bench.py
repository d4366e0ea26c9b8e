"""How fast and how faithful the pane renderer is, against the real tmux on the same bytes.

  python bench/tb_pane_bench.py

For pytest-like outputs of growing size (coloured `-rA` summaries, a `\\r` progress line, long
lines that wrap, more lines than tmux's history keeps), it prints the time `render_pane`
(pyte) and the real tmux (`abcbench.testing.tmux_reference`: a detached pane, the bytes
written into it, `capture-pane -p -S -`) take, and whether their pane texts are identical.
The tmux figure is what reading the pane through tmux itself would cost at the least (one
local tmux server; in a container every step would also be a `docker exec`).
"""

from __future__ import annotations

import time

from abcbench.grading.tb_pane import render_pane
from abcbench.testing.tmux_reference import tmux_render

ESC = "\x1b"


def pytest_like(n_tests: int) -> bytes:
    head = (f"{ESC}[1m{'=' * 60} test session starts {'=' * 60}{ESC}[0m\n"
            + "".join(f"\rtests/test_api.py {'.' * (i % 50)}"
                      for i in range(0, n_tests, max(n_tests // 100, 1))) + "\n")
    summary = f"{ESC}[36m{'=' * 60} short test summary info {'=' * 60}{ESC}[0m\n"
    rows = "".join(
        (f"{ESC}[32mPASSED{ESC}[0m tests/test_api.py::test_case_{i}[param-{'x' * (i % 170)}]\n"
         if i % 7 else
         f"{ESC}[31mFAILED{ESC}[0m tests/test_api.py::test_case_{i} - AssertionError: "
         f"expected {i} got {i + 1}\n")
        for i in range(n_tests))
    tail = f"{ESC}[31m{'=' * 50} {n_tests // 7 + 1} failed in 1.23s {'=' * 50}{ESC}[0m\n"
    return (head + summary + rows + tail).replace("\n", "\r\n").encode()


def main() -> None:
    print(f"{'tests':>7} {'bytes':>10} {'pyte s':>8} {'tmux s':>8} {'MB/s pyte':>10} pane")
    for n in (10, 100, 1000, 3000, 10000, 30000):
        data = pytest_like(n)
        started = time.perf_counter()
        ours = render_pane(data)
        pyte_sec = time.perf_counter() - started
        started = time.perf_counter()
        theirs = tmux_render(data)
        tmux_sec = time.perf_counter() - started
        print(f"{n:>7} {len(data):>10} {pyte_sec:>8.3f} {tmux_sec:>8.3f} "
              f"{len(data) / pyte_sec / 1e6:>10.2f} {'same' if ours == theirs else 'DIFF'}")


if __name__ == "__main__":
    main()
