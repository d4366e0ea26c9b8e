"""`compose_down` stops with no grace: the project's containers are discarded anyway, and a
`sleep infinity` that ignores SIGTERM would otherwise hold every trial for the stop timeout."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from abcbench.sandbox import compose


class _NoDocker:
    class _Listing:
        def list(self, **_: Any) -> list[Any]:
            return []

    containers = _Listing()
    networks = _Listing()


def test_down_passes_a_zero_stop_timeout(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def run(cmd: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(compose, "compose_binary", lambda: ["docker-compose"])
    monkeypatch.setattr(compose.subprocess, "run", run)
    monkeypatch.setattr(compose, "docker_client", _NoDocker)
    compose.compose_down("proj", [tmp_path / "docker-compose.yaml"], {}, tmp_path)
    assert len(calls) == 1
    args = calls[0][calls[0].index("down"):]
    assert "-t" in args, args
    assert args[args.index("-t") + 1] == "0", args
