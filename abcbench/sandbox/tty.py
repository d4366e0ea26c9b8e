"""A command typed into a fresh terminal in the container, as Terminal-Bench types it into tmux.

Terminal-Bench 0.2.18 (`terminal/tmux_session.py`) runs the tests and the oracle's
`solution.sh` by typing `bash /tests/run-tests.sh` + Enter into a tmux pane of 160x40 whose
shell is tmux's default: the user's login shell (`$SHELL`, else the passwd entry, else
/bin/sh), started as a login shell on a tty, so interactive: Debian's /etc/profile resets
`PATH` (an image's `ENV PATH=...` is lost) and ~/.profile reads ~/.bashrc. tmux sets TERM
(its `default-terminal`: tmux-256color from tmux 3.5, screen before), TMUX, TMUX_PANE and
TERM_PROGRAM; programs see a 160-column terminal (pytest colours its summary and fits it to
the width).

Here the same shell runs on a pseudo-terminal of the container (a tty exec), sized 160x40
before the shell starts; the prompt is awaited, then the command is typed with
`; exec sh -c 'exit '$?` appended (the shell then ends with the command's status, with no
`logout` line and no ~/.bash_logout, and no tmux is needed to tell that it finished). Every
byte the terminal showed is kept, for `abcbench.grading.tb_pane` to render as the pane would
show it; the prompt and the typed line are part of it, as in the pane.
"""

from __future__ import annotations

import select
import time
from dataclasses import dataclass
from typing import Any

from docker.errors import APIError, NotFound

from abcbench.grading.tb_pane import HISTORY_LIMIT, PANE_COLUMNS, PANE_ROWS
from abcbench.sandbox.base import SandboxUnavailable
from abcbench.sandbox.client import docker_client

#: Bytes kept of the terminal's output (its tail: the pane keeps only its last rows anyway).
OUTPUT_LIMIT = 16 * 1024 * 1024
PROMPT_WAIT_SEC = 5.0
PROMPT_QUIET_SEC = 0.15
KILL_TIMEOUT_SEC = 30
#: The wrapper prints this line first (the session id to kill on a timeout, and what the
#: image's own tmux would give the pane); it is cut off before rendering, so the pane starts
#: with what the shell printed, as tmux's does.
PID_PREFIX = b"abcbench-tb-session "

# POSIX sh. When the image has tmux (Terminal-Bench needs it there), a throwaway server of it,
# reading the image's tmux.conf as Terminal-Bench's does, says the pane's TERM and history
# limit; else tmux 3.5's defaults. tmux's default shell: $SHELL when absolute and executable,
# else the user's passwd entry, else /bin/sh; started as a login shell (tmux runs `-bash`),
# with the variables tmux sets in a pane.
WRAPPER = (
    f'stty cols {PANE_COLUMNS} rows {PANE_ROWS} 2>/dev/null; '
    't=tmux-256color; h=2000; v=; '
    'if command -v tmux >/dev/null 2>&1; then '
    'v=$(tmux -V 2>/dev/null | cut -d" " -f2); '
    'p=$(tmux -L "abcbench-probe-$$" start-server \\; show -gv default-terminal \\; '
    'show -gv history-limit \\; kill-server 2>/dev/null); '
    't=$(echo "$p" | sed -n 1p); h=$(echo "$p" | sed -n 2p); '
    'elif [ ! -e /usr/share/terminfo/t/tmux-256color ]; then t=screen; fi; '
    'printf "abcbench-tb-session %s %s %s\\n" "$$" "${h:-2000}" "${t:-screen}"; '
    's="${SHELL:-}"; case "$s" in /*) [ -x "$s" ] || s= ;; *) s= ;; esac; '
    'if [ -z "$s" ]; then u=$(id -u); '
    'while IFS=: read -r _n _p _u _g _c _h _s; do '
    'if [ "$_u" = "$u" ]; then s=$_s; break; fi; done < /etc/passwd; fi; '
    '[ -n "$s" ] && [ -x "$s" ] || s=/bin/sh; '
    'TERM=${t:-screen}; SHELL=$s; TMUX="/tmp/tmux-$(id -u)/default,$$,$1"; TMUX_PANE="%$1"; '
    'TERM_PROGRAM=tmux; export TERM SHELL TMUX TMUX_PANE TERM_PROGRAM; '
    'if [ -n "$v" ]; then TERM_PROGRAM_VERSION=$v; export TERM_PROGRAM_VERSION; fi; '
    'unset t h v p s u _n _p _u _g _c _h _s; '
    'exec "$SHELL" -l'
)

# Every process of the terminal's session (its id is the wrapper's pid), by /proc: no procps.
KILL_SESSION = (
    'sid=$1; for i in 1 2 3; do for d in /proc/[0-9]*; do '
    's=$(sed "s/.*) //" "$d/stat" 2>/dev/null | cut -d" " -f4); '
    '[ "$s" = "$sid" ] && kill -9 "${d#/proc/}" 2>/dev/null; done; sleep 0.1; done; true'
)


@dataclass(frozen=True)
class TerminalRun:
    output: bytes
    """What the terminal showed, from the shell's start (prompt, typed line, output)."""
    history_limit: int
    """The pane's history limit: the image's tmux's (its tmux.conf read), else 2,000."""
    exit_code: int | None
    """The command's exit status; None when it was stopped at its deadline."""
    timed_out: bool
    duration_sec: float


def type_command(container_id: str, command: str, *, timeout: float,
                 user: str | None = None, pane: int = 0) -> TerminalRun:
    """Type `command` into a fresh login shell on a 160x40 tty in the container; the bytes
    shown until it ends, or until `timeout` (then every process of the terminal is killed).
    `pane`: tmux's number for it (Terminal-Bench's agent pane is 0, its tests pane 1)."""
    api = docker_client().api
    started = time.monotonic()
    try:
        exec_id = api.exec_create(container_id, ["sh", "-c", WRAPPER, "tb-pane", str(pane)],
                                  stdin=True, tty=True, user=user or "")["Id"]
        sock = api.exec_start(exec_id, socket=True, tty=True)
    except NotFound as exc:
        raise SandboxUnavailable(f"container {container_id} is gone: {exc}") from exc
    except APIError as exc:
        raise SandboxUnavailable(f"exec refused in {container_id}: {exc.explanation}") from exc
    raw: Any = getattr(sock, "_sock", sock)
    deadline = started + timeout
    output = bytearray()
    session: tuple[str, int] | None = None
    shown = b""
    timed_out = False
    try:
        _read_until_quiet(raw, output, started + PROMPT_WAIT_SEC)
        raw.sendall(f"{command}; exec sh -c 'exit '$?\r".encode())
        timed_out = not _read_to_end(raw, output, deadline)
    finally:
        session, shown = _split_session(bytes(output))
        if timed_out and session is not None:
            _kill_session(api, container_id, session[0])
        sock.close()
    exit_code = None
    if not timed_out:
        code = api.exec_inspect(exec_id).get("ExitCode")
        exit_code = int(code) if code is not None else None
    return TerminalRun(shown[-OUTPUT_LIMIT:], session[1] if session else HISTORY_LIMIT,
                       exit_code, timed_out, time.monotonic() - started)


def _read_until_quiet(raw: Any, output: bytearray, give_up: float) -> None:
    """Until the shell has printed something (its prompt) and then paused: typing earlier
    would be echoed twice (by the tty, then by readline), which tmux's late typing avoids."""
    while True:
        left = give_up - time.monotonic()
        if left <= 0:
            return
        started = _prompt_started(output)
        ready, _, _ = select.select([raw], [], [], min(PROMPT_QUIET_SEC, left) if started
                                    else left)
        if not ready:
            if started:
                return
            continue
        chunk = raw.recv(65536)
        if not chunk:
            return
        output += chunk


def _prompt_started(output: bytearray) -> bool:
    """Something after the wrapper's own first line: the shell is up."""
    end = output.find(b"\n")
    return end >= 0 and len(output) > end + 1


def _read_to_end(raw: Any, output: bytearray, deadline: float) -> bool:
    """Read until the terminal closes (True) or the deadline passes (False)."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([raw], [], [], left)
        if not ready:
            continue
        chunk = raw.recv(65536)
        if not chunk:
            return True
        output += chunk
        if len(output) > 2 * OUTPUT_LIMIT:
            del output[:len(output) - OUTPUT_LIMIT]


def _split_session(output: bytes) -> tuple[tuple[str, int] | None, bytes]:
    """The wrapper's first line (session id, history limit), and the rest: what the shell
    showed."""
    if not output.startswith(PID_PREFIX):
        return None, output
    line, _, rest = output.partition(b"\n")
    fields = line[len(PID_PREFIX):].decode(errors="replace").split()
    if len(fields) < 2 or not fields[0].isdigit():
        return None, rest
    limit = int(fields[1]) if fields[1].isdigit() else HISTORY_LIMIT
    return (fields[0], limit), rest


def _kill_session(api: Any, container_id: str, session: str) -> None:
    try:
        exec_id = api.exec_create(container_id, ["sh", "-c", KILL_SESSION, "kill", session],
                                  user="root")["Id"]
        api.exec_start(exec_id)
    except (APIError, NotFound):
        pass  # the container is gone: so is the session
