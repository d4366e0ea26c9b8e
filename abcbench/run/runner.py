"""Plans and executes a run: images first, then trials `n_concurrent` at a time.

Everything that can be refused (unknown ids, an existing run id, unbuildable recipes) is refused
before the run directory is created, so bad input leaves nothing half-written.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from abcbench.agents.base import Agent
from abcbench.errors import UserError
from abcbench.images.manager import ImageManager
from abcbench.results import provenance
from abcbench.results.metrics import summarize
from abcbench.results.models import (
    AgentInfo,
    RunManifest,
    RunSettings,
    RunStatus,
    TaskRef,
    TrialResult,
    utcnow,
)
from abcbench.results.store import RunDir
from abcbench.sandbox import images as docker_images
from abcbench.sandbox.client import server_version
from abcbench.sandbox.lifecycle import cleanup
from abcbench.tasks.model import Task, TaskFormat
from abcbench.trial import TrialSpec, make_trial

RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass
class RunRequest:
    tasks: list[Task]
    agent_cls: type[Agent]
    agent_info: AgentInfo
    output_dir: Path
    tasks_dir: Path
    run_id: str | None = None
    n_attempts: int = 1
    n_concurrent: int = 1
    agent_timeout_sec: float | None = None
    test_timeout_sec: float | None = None
    task_filters: list[str] = field(default_factory=list)
    agent_env: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass
class RunEvents:
    """Hooks for a live view; all optional."""

    on_message: Callable[[str], None] = lambda _m: None
    on_trial_start: Callable[[str], None] = lambda _t: None
    on_phase: Callable[[str, str], None] = lambda _t, _p: None
    on_trial_done: Callable[[TrialResult], None] = lambda _r: None


def new_run_id(agent: str) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{agent}-{secrets.token_hex(2)}"


def _validate(req: RunRequest) -> str:
    if not req.tasks:
        raise UserError("no task selected; check --task / --language filters (`abcbench tasks "
                        "list`)")
    if req.n_attempts < 1 or req.n_concurrent < 1:
        raise UserError("--n-attempts and --n-concurrent must be at least 1")
    run_id = req.run_id or new_run_id(req.agent_info.name)
    if not RUN_ID_PATTERN.match(run_id):
        raise UserError(f"--run-id {run_id!r}: use letters, digits, '.', '_' and '-' only")
    if (req.output_dir / run_id).exists():
        raise UserError(f"run {run_id!r} already exists in {req.output_dir}; choose another "
                        "--run-id or remove that folder")
    return run_id


class Runner:
    def __init__(self, request: RunRequest, events: RunEvents | None = None,
                 images: ImageManager | None = None) -> None:
        self.req = request
        self.events = events or RunEvents()
        self.images = images or ImageManager(notify=self.events.on_message)

    def prepare_images(self) -> dict[str, str]:
        """Build every image the run needs before any trial starts: no build holds a slot."""
        names = ["tester"]
        for task in self.req.tasks:
            if task.format is TaskFormat.native:
                names.append(task.spec.sandbox_image)
                dockerfile = task.reference_repo / task.spec.service.dockerfile
                if dockerfile.is_file():
                    names += self.images.recipes_in_dockerfile(dockerfile.read_text("utf-8"))
        refs: dict[str, str] = {}
        for name in dict.fromkeys(names):
            ref = self.images.ensure(name)
            refs[name] = f"{ref}@{docker_images.image_id(ref)}"
        return refs

    def execute(self) -> RunManifest:
        req = self.req
        run_id = _validate(req)
        images = self.prepare_images()
        specs = [
            TrialSpec(run_id=run_id, task=task, attempt=attempt, agent_cls=req.agent_cls,
                      agent_info=req.agent_info, agent_env=req.agent_env,
                      agent_timeout_sec=req.agent_timeout_sec,
                      test_timeout_sec=req.test_timeout_sec)
            for attempt in range(1, req.n_attempts + 1)
            for task in req.tasks
        ]
        run_dir = RunDir(req.output_dir / run_id)
        manifest = RunManifest(
            run_id=run_id,
            agent=req.agent_info,
            settings=RunSettings(
                n_attempts=req.n_attempts, n_concurrent=req.n_concurrent,
                agent_timeout_sec=req.agent_timeout_sec, test_timeout_sec=req.test_timeout_sec,
                tasks_dir=str(req.tasks_dir), task_filters=req.task_filters,
            ),
            tasks=[TaskRef(id=t.id, hash=t.content_hash) for t in req.tasks],
            trials=[s.name for s in specs],
            provenance=provenance.collect(server_version(), images),
        )
        run_dir.write_manifest(manifest)
        results: list[TrialResult] = []
        try:
            with ThreadPoolExecutor(max_workers=req.n_concurrent,
                                    thread_name_prefix="trial") as pool:
                futures = [pool.submit(self._run_one, spec, run_dir) for spec in specs]
                try:
                    for future in as_completed(futures):
                        results.append(future.result())
                except BaseException:
                    for f in futures:
                        f.cancel()
                    raise
        except KeyboardInterrupt:
            manifest.status = RunStatus.interrupted
            raise
        except BaseException:
            manifest.status = RunStatus.failed
            raise
        else:
            manifest.status = RunStatus.completed
        finally:
            cleanup(run=run_id)
            manifest.finished_at = utcnow()
            manifest.summary = summarize(run_dir.results(), n_planned=len(specs))
            run_dir.write_manifest(manifest)
        return manifest

    def _run_one(self, spec: TrialSpec, run_dir: RunDir) -> TrialResult:
        self.events.on_trial_start(spec.name)
        result = make_trial(spec, run_dir, self.images, on_phase=self.events.on_phase).run()
        self.events.on_trial_done(result)
        return result
