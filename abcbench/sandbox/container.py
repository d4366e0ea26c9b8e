"""A running container as a `Sandbox`: exec under `timeout -k`, files and trees in and out.

Exec output is read from the raw socket with a deadline just past the command's own timeout, so
a silent long command never trips a client read timeout and a wedged engine never hangs us.
"""

from __future__ import annotations

import contextlib
import io
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath
from typing import Any

from docker.errors import APIError, NotFound
from docker.models.containers import Container
from docker.utils.socket import frames_iter

from abcbench.sandbox.base import (
    DEFAULT_OUTPUT_LIMIT,
    ExecResult,
    SandboxError,
    SandboxFileNotFound,
    SandboxUnavailable,
)
from abcbench.sandbox.client import docker_client

KILL_GRACE_SEC = 5
STDOUT, STDERR = 1, 2


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


class DockerContainer:
    """Implements `abcbench.sandbox.base.Sandbox` on a started container."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.id = str(container.id)
        self.name = str(container.name)

    def _api(self) -> Any:
        return docker_client().api

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
        wrapped = ["timeout", "-k", str(KILL_GRACE_SEC), f"{max(timeout, 0.1):.1f}s", *argv]
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
            sock.close()
        elapsed = time.monotonic() - started
        exit_code = api.exec_inspect(exec_id).get("ExitCode")
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

    def read_file(self, path: str) -> bytes:
        try:
            stream, _stat = self._api().get_archive(self.id, path)
        except NotFound as exc:
            raise SandboxFileNotFound(f"{path} does not exist in {self.name}") from exc
        except APIError as exc:
            raise SandboxUnavailable(f"cannot read {path} in {self.name}: {exc}") from exc
        data = b"".join(stream)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            member = tar.next()
            if member is None or not member.isfile():
                raise SandboxError(f"{path} in {self.name} is not a regular file")
            handle = tar.extractfile(member)
            assert handle is not None
            return handle.read()

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

    def copy_in(self, src: Path, dest: str) -> None:
        self._mkdir(dest)
        with tempfile.TemporaryFile() as tmp:
            with tarfile.open(fileobj=tmp, mode="w") as tar:
                for child in sorted(src.iterdir()):
                    tar.add(child, arcname=child.name)
            tmp.seek(0)
            self._put(dest, tmp.read())

    def copy_out(self, src: str, dest: Path) -> None:
        dest.mkdir(parents=True, exist_ok=True)
        try:
            stream, _stat = self._api().get_archive(self.id, src.rstrip("/") + "/.")
        except NotFound as exc:
            raise SandboxFileNotFound(f"{src} does not exist in {self.name}") from exc
        except APIError as exc:
            raise SandboxUnavailable(f"cannot copy {src} out of {self.name}: {exc}") from exc
        with tempfile.TemporaryFile() as tmp:
            for chunk in stream:
                tmp.write(chunk)
            tmp.seek(0)
            with tarfile.open(fileobj=tmp) as tar:
                for member in tar:
                    # Archiving "<src>/." names members "./x": relative to src already.
                    if not PurePosixPath(member.name).parts:
                        continue  # the folder itself
                    try:
                        tar.extract(member, dest, filter="data")
                    except (tarfile.FilterError, OSError):
                        continue  # links pointing outside the tree are not part of a submission

    def logs(self, limit_bytes: int = 4 * 1024 * 1024) -> str:
        try:
            data: bytes = self.container.logs(stdout=True, stderr=True)
        except (NotFound, APIError):
            return ""
        return data[-limit_bytes:].decode("utf-8", errors="replace")

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
