"""The real tmux as the reference for `abcbench.grading.tb_pane`: a byte stream replayed into a
detached pane of Terminal-Bench's geometry, read back with Terminal-Bench's `capture-pane`.

Each call uses a server of its own (`-L`, no config file, so every option is tmux's default,
as in Terminal-Bench's container) and kills it afterwards. The bytes reach the pane unchanged:
the pane's tty has output post-processing off (`stty -opost`), since the stream was captured
after a tty's own `\\n` -> `\\r\\n`.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from abcbench.grading.tb_pane import PANE_COLUMNS, PANE_ROWS

TIMEOUT_SEC = 60


class TmuxUnavailable(RuntimeError):
    """No tmux on this machine."""


def tmux_path() -> str:
    found = shutil.which("tmux")
    if found is None:
        raise TmuxUnavailable("tmux is not installed (apt-get install tmux)")
    return found


def tmux_render(data: bytes, columns: int = PANE_COLUMNS, rows: int = PANE_ROWS) -> str:
    """What `tmux capture-pane -p -S -` shows after `data` was written to a fresh pane."""
    tmux = tmux_path()
    server = f"abcbench-pane-{uuid.uuid4().hex[:10]}"
    base = [tmux, "-L", server, "-f", "/dev/null"]
    with tempfile.TemporaryDirectory(prefix="abcbench-tmux-") as tmp:
        stream = Path(tmp) / "stream"
        stream.write_bytes(data)
        script = (f"stty -opost; cat {stream}; {tmux} -L {server} wait -S done; "
                  "exec sleep 3600")
        try:
            subprocess.run([*base, "new-session", "-d", "-x", str(columns), "-y", str(rows),
                            "-s", "pane", script], check=True, timeout=TIMEOUT_SEC)
            subprocess.run([*base, "wait", "done"], check=True, timeout=TIMEOUT_SEC)
            out = subprocess.run([*base, "capture-pane", "-p", "-S", "-", "-t", "pane"],
                                 check=True, capture_output=True, timeout=TIMEOUT_SEC)
        finally:
            subprocess.run([*base, "kill-server"], capture_output=True, timeout=TIMEOUT_SEC,
                           check=False)
    return out.stdout.decode(errors="replace")
