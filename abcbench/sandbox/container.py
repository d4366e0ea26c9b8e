"""A running container as a `Sandbox`: exec under `timeout -k`, files and trees in and out.

Exec output is read from the raw socket with a deadline just past the command's own timeout, so
a silent long command never trips a client read timeout and a wedged engine never hangs us.

Every exec runs in its own process group (GNU `timeout` makes one) and the group is killed when
the exec returns, timed out or not: a fork bomb dies with its exec and `sleep 120 &` does not
outlive it. A process that wants to outlive its exec must leave the group itself (`setsid`);
the container's init reaps what is orphaned, and the pids limit bounds it.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import io
import shutil
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from docker.errors import APIError, NotFound
from docker.models.containers import Container
from docker.utils.socket import frames_iter

from abcbench.errors import EngineUnreachable
from abcbench.sandbox.archive import safe_extract
from abcbench.sandbox.base import (
    DEFAULT_OUTPUT_LIMIT,
    ExecResult,
    ExportTooLarge,
    SandboxError,
    SandboxFileNotFound,
    SandboxUnavailable,
)
from abcbench.sandbox.client import CONNECTION_ERRORS, docker_client
from abcbench.sandbox.tty import TerminalRun, type_command

F = TypeVar("F", bound=Callable[..., Any])


def _engine_calls(method: F) -> F:
    """A lost connection to the engine during a sandbox call is `EngineUnreachable` (typed
    here, at the harness's own call), whichever thread made the call: the agent's too. What
    the engine answers about the container itself stays a `SandboxError`, judged by the
    container's state (the agent controls that container, so it can provoke such answers)."""

    @functools.wraps(method)
    def wrapper(self: DockerContainer, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except CONNECTION_ERRORS as exc:
            raise EngineUnreachable(
                f"the Docker engine stopped answering during {method.__name__} in "
                f"{self.name} ({exc.__class__.__name__})", operation=method.__name__) from exc

    return wrapper  # type: ignore[return-value]

KILL_GRACE_SEC = 5
STDOUT, STDERR = 1, 2
READ_FILE_LIMIT = 64 * 1024 * 1024
EXPORT_MAX_BYTES = 1024 * 1024 * 1024
EXPORT_MAX_FILES = 100_000
DISK_CHECK_INTERVAL_SEC = 3.0

# POSIX sh, so it also works in images without bash. `timeout` puts itself and the command in a
# new process group ($t); once it has returned, whatever is left of that group is killed, by an
# EXIT trap so that it also happens when the shell dies on a failed fork (dash exits on those).
# If something is left, a short pause first lets a `setsid` launched just before the return
# leave the group (the documented way to keep a server). `wait`, `kill` and `exit` are
# builtins: they need no fork, so the kill works even when a fork bomb has filled the pids limit.
EXEC_WRAPPER = (
    'k=$1; d=$2; shift 2; rc=125; timeout -k "$k" "$d" "$@" & t=$!; '
    'trap \'kill -9 -"$t" 2>/dev/null; exit "$rc"\' EXIT; wait "$t"; rc=$?; '
    'if kill -0 -"$t" 2>/dev/null; then sleep 0.3; fi'
)


def _close_exec_socket(sock: Any) -> None:
    """Close an exec's attached socket through the HTTP response that owns it (docker-py keeps
    it as `sock._response`). Closing only the socket left that response to the garbage
    collector, whose close then flushed a closed file: an `Exception ignored in:
    <http.client.HTTPResponse ...> ValueError: I/O operation on closed file` block on stderr
    per exec (printed by Python 3.13+, or in development mode)."""
    response = getattr(sock, "_response", None)
    try:
        if response is not None:
            response.close()
    finally:
        sock.close()


class _CappedBuffer:
    """Keeps the head and the tail of a stream when it grows past `limit` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = max(limit, 2)
        self.head = bytearray()
        self.tail = bytearray()
        self.dropped = 0

    def write(self, data: bytes) -> None:
        room = self.limit // 2 - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if data:
            self.tail += data
            excess = len(self.tail) - self.limit // 2
            if excess > 0:
                del self.tail[:excess]
                self.dropped += excess

    def text(self) -> str:
        middle = f"\n[... {self.dropped} bytes truncated ...]\n".encode() if self.dropped else b""
        return bytes(self.head + middle + self.tail).decode("utf-8", errors="replace")


class _ChunkReader(io.RawIOBase):
    """A file-like view of an iterator of byte chunks (the engine's archive stream)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            self._pending = next(self._chunks, b"")
            if not self._pending:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


class DockerContainer:
    """Implements `abcbench.sandbox.base.Sandbox` on a started container."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.id = str(container.id)
        self.name = str(container.name)
        #: Why the sandbox was stopped by the harness (e.g. its disk budget), once it was.
        self.violation: str | None = None
        self._watch_stop = threading.Event()

    def _api(self) -> Any:
        return docker_client().api

    @_engine_calls
    def exec(
        self,
        command: str | list[str],
        *,
        timeout: float = 600,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
        output_limit: int = DEFAULT_OUTPUT_LIMIT,
    ) -> ExecResult:
        argv = ["bash", "-c", command] if isinstance(command, str) else list(command)
        wrapped = ["sh", "-c", EXEC_WRAPPER, "abcbench-exec", str(KILL_GRACE_SEC),
                   f"{max(timeout, 0.1):.1f}s", *argv]
        api = self._api()
        started = time.monotonic()
        try:
            exec_id = api.exec_create(
                self.id, wrapped, workdir=cwd, environment=env, stdout=True, stderr=True
            )["Id"]
            sock = api.exec_start(exec_id, socket=True)
        except NotFound as exc:
            raise SandboxUnavailable(f"container {self.name} is gone: {exc}") from exc
        except APIError as exc:
            raise SandboxUnavailable(f"exec refused in {self.name}: {exc.explanation}") from exc
        out, err = _CappedBuffer(output_limit), _CappedBuffer(output_limit)
        raw = getattr(sock, "_sock", sock)
        raw.settimeout(timeout + KILL_GRACE_SEC + 30)
        try:
            for stream_id, data in frames_iter(sock, tty=False):
                (err if stream_id == STDERR else out).write(data)
        except TimeoutError:
            pass  # the in-container timeout failed to end it; report as timed out below
        finally:
            _close_exec_socket(sock)
        elapsed = time.monotonic() - started
        try:
            exit_code = api.exec_inspect(exec_id).get("ExitCode")
        except NotFound as exc:
            raise SandboxUnavailable(f"container {self.name} is gone: {exc}") from exc
        except APIError as exc:
            raise SandboxUnavailable(f"exec in {self.name} not inspectable: "
                                     f"{exc.explanation}") from exc
        if exit_code is None:
            exit_code = 137
        timed_out = exit_code in (124, 137) and elapsed >= timeout - 0.5
        return ExecResult(
            exit_code=int(exit_code),
            stdout=out.text(),
            stderr=err.text(),
            timed_out=timed_out,
            truncated=bool(out.dropped or err.dropped),
            duration_sec=elapsed,
        )

    @_engine_calls
    def type_command(self, command: str, *, timeout: float, user: str | None = None,
                     pane: int = 0) -> TerminalRun:
        """`command` typed into a fresh login shell on a 160x40 tty, as Terminal-Bench types
        it into its tmux pane (`abcbench.sandbox.tty`)."""
        return type_command(self.id, command, timeout=timeout, user=user, pane=pane)

    @_engine_calls
    def read_file(self, path: str) -> bytes:
        try:
            stream, _stat = self._api().get_archive(self.id, path)
        except NotFound as exc:
            raise SandboxFileNotFound(f"{path} does not exist in {self.name}") from exc
        except APIError as exc:
            raise SandboxUnavailable(f"cannot read {path} in {self.name}: {exc}") from exc
        data = bytearray()
        for chunk in stream:
            data += chunk
            if len(data) > READ_FILE_LIMIT + 64 * 1024:
                raise SandboxError(f"{path} in {self.name} is larger than "
                                   f"{READ_FILE_LIMIT // (1024 * 1024)} MiB: not read")
        with tarfile.open(fileobj=io.BytesIO(bytes(data))) as tar:
            member = tar.next()
            if member is None or not member.isfile():
                raise SandboxError(f"{path} in {self.name} is not a regular file")
            handle = tar.extractfile(member)
            assert handle is not None
            return handle.read()

    @_engine_calls
    def write_file(self, path: str, data: bytes | str, mode: int = 0o644) -> None:
        payload = data.encode() if isinstance(data, str) else data
        target = PurePosixPath(path)
        self._mkdir(str(target.parent))
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            info = tarfile.TarInfo(target.name)
            info.size = len(payload)
            info.mode = mode
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(payload))
        self._put(str(target.parent), buf.getvalue())

    @_engine_calls
    def copy_in(self, src: Path, dest: str) -> None:
        self._mkdir(dest)
        with tempfile.TemporaryFile() as tmp:
            with tarfile.open(fileobj=tmp, mode="w") as tar:
                for child in sorted(src.iterdir()):
                    tar.add(child, arcname=child.name)
            tmp.seek(0)
            self._put(dest, tmp.read())

    @_engine_calls
    def copy_out(self, src: str, dest: Path, *, max_bytes: int | None = None,
                 max_files: int | None = None) -> None:
        """Raises ExportTooLarge past `max_bytes` of file data or `max_files` entries (defaults:
        EXPORT_MAX_BYTES, EXPORT_MAX_FILES): the archive is read through a counting cap, so a
        huge tree never reaches the host's disk."""
        max_bytes = EXPORT_MAX_BYTES if max_bytes is None else max_bytes
        max_files = EXPORT_MAX_FILES if max_files is None else max_files
        try:
            stream, _stat = self._api().get_archive(self.id, src.rstrip("/") + "/.")
        except NotFound as exc:
            raise SandboxFileNotFound(f"{src} does not exist in {self.name}") from exc
        except APIError as exc:
            raise SandboxUnavailable(f"cannot copy {src} out of {self.name}: {exc}") from exc
        created = not dest.exists()
        try:
            # Read as a stream, member by member: the caps stop it before the host's disk fills.
            with tarfile.open(fileobj=_ChunkReader(stream), mode="r|") as tar:
                safe_extract(tar, dest, max_bytes=max_bytes, max_files=max_files)
        except ExportTooLarge as exc:
            if created:
                shutil.rmtree(dest, ignore_errors=True)
            raise ExportTooLarge(f"{src} in {self.name} is too large to export: {exc}") from None
        except tarfile.TarError as exc:
            raise SandboxError(f"cannot read the archive of {src} in {self.name}: {exc}") from exc
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()

    # -- the disk budget ------------------------------------------------------------------

    def watch_disk(self, limit_bytes: int,
                   interval_sec: float = DISK_CHECK_INTERVAL_SEC) -> threading.Thread:
        """Check the writable layer's size every `interval_sec` (the storage driver here has no
        quota); past `limit_bytes`, set `violation` and kill the container. Stops by itself when
        the container is gone, or on `stop_watching()`."""

        def watch() -> None:
            api = self._api()
            while not self._watch_stop.wait(interval_sec):
                try:
                    found = api.containers(all=True, filters={"id": self.id}, size=True)
                except APIError:
                    continue
                if not found or found[0].get("State") != "running":
                    return
                used = int(found[0].get("SizeRw") or 0)
                if used > limit_bytes:
                    self.violation = (
                        f"the sandbox wrote {used // (1024 * 1024)} MiB, over its disk budget "
                        f"of {limit_bytes // (1024 * 1024)} MiB; it was stopped")
                    with contextlib.suppress(NotFound, APIError):
                        api.kill(self.id)
                    return

        thread = threading.Thread(target=watch, name=f"disk-{self.name}", daemon=True)
        thread.start()
        return thread

    def stop_watching(self) -> None:
        self._watch_stop.set()

    def logs(self, limit_bytes: int = 4 * 1024 * 1024) -> str:
        """The last `limit_bytes` of the container's output, read as a stream: never more
        than that (plus one chunk) in memory, however much the container printed."""
        kept: collections.deque[bytes] = collections.deque()
        size = 0
        try:
            for chunk in self.container.logs(stdout=True, stderr=True, stream=True,
                                             follow=False):
                kept.append(chunk)
                size += len(chunk)
                while size - len(kept[0]) >= limit_bytes:
                    size -= len(kept.popleft())
        except (NotFound, APIError):
            if not kept:
                return ""
        return b"".join(kept)[-limit_bytes:].decode("utf-8", errors="replace")

    @_engine_calls
    def status(self) -> tuple[str, int | None]:
        """(state, exit code if exited)."""
        try:
            self.container.reload()
        except NotFound:
            return "removed", None
        state = self.container.attrs.get("State", {})
        return str(state.get("Status", "unknown")), state.get("ExitCode")

    def _mkdir(self, path: str) -> None:
        result = self.exec(["mkdir", "-p", path], timeout=30)
        if not result.ok:
            raise SandboxError(f"cannot create {path} in {self.name}: {result.stderr.strip()}")

    def _put(self, dest: str, data: bytes) -> None:
        try:
            self._api().put_archive(self.id, dest, data)
        except NotFound as exc:
            raise SandboxUnavailable(f"container {self.name} is gone") from exc
        except APIError as exc:
            raise SandboxError(f"cannot copy into {dest} in {self.name}: {exc}") from exc

    @_engine_calls
    def stop_processes(self) -> bool:
        """See `HarnessSandbox.stop_processes`: an exec as root kills, in rounds, every process
        but PID 1, an init's first child (the container's command) and itself."""
        api = self._api()
        try:
            exec_id = api.exec_create(self.id, ["sh", "-c", _STOP_SCRIPT], user="0",
                                      stdout=True, stderr=True)["Id"]
            api.exec_start(exec_id)
            if api.exec_inspect(exec_id).get("ExitCode") == 0:
                return True
        except NotFound:
            return False
        except APIError:
            pass  # not running, or no process can start (a fork bomb at its pids limit)
        with contextlib.suppress(NotFound, APIError):
            self.container.kill()
        return False


# POSIX sh with builtins only inside the loops, so it keeps working while processes die. Kept:
# PID 1, this script, and when PID 1 is an init its first child (the container's command) with
# all its descendants; an orphan the agent left is re-parented to PID 1 and is not kept.
_STOP_SCRIPT = r"""
keep=" 1 $$ $PPID "
tree=""
case "$(cat /proc/1/comm 2>/dev/null)" in
  docker-init|tini|dumb-init|init|catatonit)
    main=$(cat /proc/1/task/*/children 2>/dev/null | tr ' ' '\n' | sort -n | head -n 1)
    [ -n "$main" ] && tree=" $main " ;;
esac
changed=1
while [ -n "$tree" ] && [ "$changed" = 1 ]; do
  changed=0
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    case "$tree" in *" $pid "*) continue ;; esac
    read -r stat < "$dir/stat" 2>/dev/null || continue
    set -- ${stat##*) }
    case "$tree" in *" $2 "*) tree="$tree$pid "; changed=1 ;; esac
  done
done
keep="$keep$tree"
round=0
while [ "$round" -lt 50 ]; do
  round=$((round + 1))
  left=0
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    case "$keep" in *" $pid "*) continue ;; esac
    read -r stat < "$dir/stat" 2>/dev/null || continue
    case "${stat##*) }" in Z*) continue ;; esac
    kill -9 "$pid" 2>/dev/null && left=1
  done
  [ "$left" = 0 ] && exit 0
done
exit 1
"""
