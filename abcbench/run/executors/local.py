"""The default executor: trials in threads of this process, against this host's engine."""

from __future__ import annotations

import socket
import threading
from collections.abc import Sequence

from abcbench.images.manager import ImageManager
from abcbench.results.models import Fault, TrialResult
from abcbench.results.store import RunDir
from abcbench.run import orphans
from abcbench.run.executors.attempt import NodeRunDir, run_attempt
from abcbench.sandbox import images as docker_images
from abcbench.sandbox.client import server_version
from abcbench.sandbox.lifecycle import cleanup
from abcbench.trial import PhaseCallback, TrialSpec


class LocalExecutor:
    name = "local"

    def __init__(self, images: ImageManager) -> None:
        self.images = images
        self.node = socket.gethostname()

    def open(self) -> None:
        pass

    def capacity(self, requested: int) -> int:
        return requested

    def prepare_images(self, names: Sequence[str]) -> dict[str, str]:
        refs: dict[str, str] = {}
        for name in names:
            ref = self.images.ensure(name)
            refs[name] = f"{ref}@{docker_images.image_id(ref)}"
        return refs

    def engine_version(self) -> str | None:
        return server_version()

    def run_attempt(self, spec: TrialSpec, run_dir: RunDir, retry: int,
                    causes: Sequence[Fault], on_phase: PhaseCallback,
                    cancelled: threading.Event) -> TrialResult | None:
        result = run_attempt(spec, NodeRunDir(run_dir.path, self.node), self.images, retry,
                             causes, on_phase, cancelled)
        return None if cancelled.is_set() else result

    def stop(self) -> None:
        pass  # the trials see the runner's `cancelled` event and wind down themselves

    def cleanup(self, run_id: str) -> None:
        cleanup(run=run_id)
        orphans.remove_dead_process_leftovers()

    def close(self) -> None:
        pass
