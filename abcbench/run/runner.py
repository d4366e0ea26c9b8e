"""Plans and executes a run: images first, then trials `n_concurrent` at a time.

Everything that can be refused (unknown ids, an existing run id, unbuildable recipes) is refused
before the run directory is written, so bad input leaves nothing half-written. The run folder
is owned by this process for the whole run (`run.lock`). Each attempt at a trial runs through
an executor (local threads, or a Ray cluster whose nodes are Docker hosts: `run.executors`); the
retry loop stays here. Infrastructure failures are retried with backoff; agent and test
failures never are. On Ctrl-C the run stops its containers, keeps
every finished result and discards the interrupted trials, so that `--resume` runs exactly
those. See docs/runs.md.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from abcbench.agents.base import Agent
from abcbench.agents.endpoint import preflight_agent
from abcbench.egress.settings import EgressMode, check_run_egress
from abcbench.errors import UserError
from abcbench.images.manager import ImageManager
from abcbench.results import provenance
from abcbench.results.metrics import DEFAULT_MAX_INFRA_RATE, summarize
from abcbench.results.models import (
    AgentInfo,
    Fault,
    Provenance,
    RunManifest,
    RunSettings,
    RunStatus,
    TaskRef,
    TrialResult,
    utcnow,
)
from abcbench.results.store import RunDir
from abcbench.run.executors import Executor, make_executor, recipe_names
from abcbench.run.lock import RunLock
from abcbench.run.options import check_output_dir
from abcbench.run.ungradable import ungradable_result
from abcbench.sandbox.lifecycle import release
from abcbench.tasks.lint import lint_task
from abcbench.tasks.model import Task
from abcbench.trial import TrialSpec, trial_name

RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
DEFAULT_MAX_RETRIES = 2
RETRY_BACKOFF_SEC = 5.0


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
    max_retries: int = DEFAULT_MAX_RETRIES
    resume: bool = False
    regrade_from: RunDir | None = None
    """Re-grade this run's kept submissions instead of running the agent."""
    max_infra_rate: float = DEFAULT_MAX_INFRA_RATE
    break_lock: bool = False
    timeout_multiplier: float = 1.0
    """Already applied to `tasks` and the timeouts above; recorded for a resume to reapply."""
    """Take over a run folder locked from another host (whose owner cannot be checked)."""
    executor: str = "local"
    """Where attempts run: `local` threads or a `ray` cluster (docs/ray.md)."""
    ray_address: str | None = None
    egress: EgressMode | None = None
    """`--egress`: every task's sandbox egress (None: each task's own)."""
    egress_allow: list[str] = field(default_factory=list)
    """`--egress-allow`: hosts added to every archive sandbox's allow-list."""
    no_cleanup: bool = False
    """Keep each trial's containers (stopped), networks and images for debugging; not part of
    what the run measures, so a resume may change it."""


@dataclass
class RunEvents:
    """Hooks for a live view; all optional."""

    on_message: Callable[[str], None] = lambda _m: None
    on_trial_start: Callable[[str], None] = lambda _t: None
    on_phase: Callable[[str, str], None] = lambda _t, _p: None
    on_trial_done: Callable[[TrialResult], None] = lambda _r: None
    on_plan: Callable[[int, int], None] = lambda _total, _done: None


def new_run_id(agent: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{re.sub(r'[^A-Za-z0-9._-]', '-', agent)}-{secrets.token_hex(2)}"


def _validate(req: RunRequest) -> str:
    if not req.tasks:
        raise UserError("no task selected; check --task / --language filters (`abcbench tasks "
                        "list`)")
    if req.n_attempts < 1 or req.n_concurrent < 1:
        raise UserError("--n-attempts and --n-concurrent must be at least 1")
    for task in req.tasks:  # the same static checks as `abcbench tasks check`
        problems = lint_task(task)
        if problems:
            raise UserError(f"task {task.id} fails its static checks: {problems[0]} (see "
                            f"`abcbench tasks check --static-only {task.id}`)")
    req.agent_cls(model=req.agent_info.model, env=req.agent_env,
                  **req.agent_info.kwargs).validate()
    run_id = req.run_id or new_run_id(req.agent_info.name)
    if not RUN_ID_PATTERN.match(run_id):
        raise UserError(f"--run-id {run_id!r}: use letters, digits, '.', '_' and '-' only")
    if (req.output_dir / run_id).exists() and not req.resume:
        raise UserError(f"run {run_id!r} already exists in {req.output_dir}; resume it with "
                        f"--resume {run_id}, or choose another --run-id")
    check_output_dir(req.output_dir)
    check_run_egress(req.egress, req.egress_allow, req.tasks)
    if req.no_cleanup and req.executor != "local":
        raise UserError("--no-cleanup keeps containers on the Docker host that ran them: use it "
                        "with --executor local (debug the trial on one host)")
    return run_id


def _check_owned_folder(req: RunRequest, run_dir: RunDir) -> None:
    """What can only be checked once the folder is ours: another process may have created
    the run meanwhile, or left a result that cannot be read (never silently rerun)."""
    if not req.resume:
        if run_dir.exists():
            raise UserError(f"run {run_dir.path.name!r} was just created by another process; "
                            "choose another --run-id")
        return
    unreadable = run_dir.scan()[1]
    if unreadable:
        name, why = next(iter(sorted(unreadable.items())))
        raise UserError(f"cannot resume {run_dir.path.name}: {len(unreadable)} unreadable "
                        f"result(s), first {name} ({why}); restore the file, or delete "
                        f"{run_dir.trial_dir(name)} to run that trial again")


def _task_ref(task: Task) -> TaskRef:
    return TaskRef(id=task.id, hash=task.content_hash, language=task.language,
                   framework=task.framework, task_type=task.task_type, category=task.category)


def plan_trials(req: RunRequest, run_id: str) -> list[TrialSpec]:
    """Every task x attempt; longest first where tasks carry a duration estimate."""
    specs = [
        TrialSpec(run_id=run_id, task=task, attempt=attempt, agent_cls=req.agent_cls,
                  agent_info=req.agent_info, agent_env=req.agent_env,
                  agent_timeout_sec=req.agent_timeout_sec,
                  test_timeout_sec=req.test_timeout_sec, keep_containers=req.no_cleanup,
                  regrade_from=(req.regrade_from.trial_dir(trial_name(task.id, attempt))
                                if req.regrade_from else None),
                  egress=req.egress, egress_allow=tuple(req.egress_allow))
        for attempt in range(1, req.n_attempts + 1)
        for task in req.tasks
    ]
    return sorted(specs, key=lambda s: -(s.task.estimated_duration_sec or 0.0))


class Runner:
    def __init__(self, request: RunRequest, events: RunEvents | None = None,
                 images: ImageManager | None = None, executor: Executor | None = None) -> None:
        self.req = request
        self.events = events or RunEvents()
        self.images = images or ImageManager(notify=self.events.on_message)
        self.executor = executor or make_executor(request.executor, self.images,
                                                  ray_address=request.ray_address,
                                                  notify=self.events.on_message)
        self._opened = False
        self.cancelled = threading.Event()
        self._run_id: str | None = None
        self._lock: RunLock | None = None

    def preflight(self) -> str:
        """Validate the request (agent settings, run id, output) and own the run folder; no
        image is built and nothing but the lock is written yet."""
        if self._run_id is None:
            req = self.req
            run_id = _validate(req)
            if req.regrade_from is not None and self.executor.name != "local":
                raise UserError("grading re-tests kept submissions on this host: run it "
                                "without --executor ray")
            if not self._opened:  # a cluster that cannot be reached is refused here
                self.executor.open()
                self._opened = True
            if req.regrade_from is None:  # a wrong key or model costs one request, not a run
                warning = preflight_agent(req.agent_cls(
                    model=req.agent_info.model, env=req.agent_env, **req.agent_info.kwargs))
                if warning:
                    self.events.on_message(warning)
            run_dir = RunDir(req.output_dir / run_id)
            purpose = ("grade" if req.regrade_from else "run") + (" --resume" if req.resume
                                                                   else "")
            lock = RunLock(run_dir.path, run_id, purpose, break_lock=req.break_lock).acquire()
            try:
                _check_owned_folder(req, run_dir)
            except BaseException:
                lock.release()
                raise
            self._lock, self._run_id = lock, run_id
        return self._run_id

    def prepare_images(self) -> dict[str, str]:
        """Build every image the run needs before any trial starts, on every Docker host of
        the executor: no build holds a slot."""
        return self.executor.prepare_images(recipe_names(self.req.tasks, self.images))

    def _manifest(self, run_id: str, specs: list[TrialSpec],
                  record: Provenance) -> RunManifest:
        req = self.req
        return RunManifest(
            run_id=run_id,
            agent=req.agent_info,
            settings=RunSettings(
                n_attempts=req.n_attempts, n_concurrent=req.n_concurrent,
                agent_timeout_sec=req.agent_timeout_sec, test_timeout_sec=req.test_timeout_sec,
                tasks_dir=str(req.tasks_dir), task_filters=req.task_filters,
                max_retries=req.max_retries, max_infra_rate=req.max_infra_rate,
                timeout_multiplier=req.timeout_multiplier,
                egress=req.egress, egress_allow=list(req.egress_allow),
                no_cleanup=req.no_cleanup,
            ),
            tasks=[_task_ref(t) for t in req.tasks],
            trials=sorted(s.name for s in specs),
            provenance=record,
            provenance_history=[record],
            regraded_from=str(req.regrade_from.path) if req.regrade_from else None,
        )

    def execute(self) -> RunManifest:
        """The whole run, in the folder `preflight` took; the folder is free again after."""
        run_id = self.preflight()
        try:
            return self._execute(run_id)
        finally:
            try:
                self.executor.close()
            finally:
                if self._lock is not None:
                    self._lock.release()
                    self._lock = None

    def _execute(self, run_id: str) -> RunManifest:
        req = self.req
        run_dir = RunDir(req.output_dir / run_id)
        if self._lock is not None and self._lock.took_over is not None:
            self.events.on_message(f"took over {run_id} from a stale lock: "
                                   f"{self._lock.took_over.describe()}")
        specs = plan_trials(req, run_id)
        if req.resume:
            manifest = run_dir.read_manifest()
            done = {r.trial_name for r in run_dir.results()}
            todo = [s for s in specs if s.name not in done]
            self.events.on_message(f"resuming {run_id}: {len(done)} trial(s) done, "
                                   f"{len(todo)} to run")
        else:
            manifest = None
            todo = specs
        self.events.on_plan(len(specs), len(specs) - len(todo))
        images = self.prepare_images()
        record = provenance.collect(self.executor.engine_version(), images)
        if manifest is None:
            manifest = self._manifest(run_id, specs, record)
        else:
            manifest.resumed_at.append(utcnow())
            if not manifest.provenance_history:  # a run made before the history was kept
                manifest.provenance_history.append(manifest.provenance)
            manifest.provenance_history.append(record)  # `provenance` stays the first
            manifest.settings.no_cleanup = req.no_cleanup  # today's choice, like the executor
            refs = {t.id: t for t in req.tasks}
            manifest.tasks = [_task_ref(refs[t.id]) if t.id in refs and t.language is None
                              else t for t in manifest.tasks]
        manifest.status = RunStatus.running
        run_dir.write_manifest(manifest)
        try:
            self._run_all(self._record_ungradable(todo, run_dir), run_dir)
        except KeyboardInterrupt:
            manifest.status = RunStatus.interrupted
            raise
        except BaseException:
            manifest.status = RunStatus.failed
            raise
        else:
            manifest.status = RunStatus.completed
        finally:
            self._end_containers(run_id)
            manifest.finished_at = utcnow()
            found, unreadable = run_dir.scan()
            manifest.summary = summarize(found, planned=set(manifest.trials),
                                         unreadable=unreadable)
            run_dir.write_manifest(manifest)
        return manifest

    def _end_containers(self, run_id: str) -> None:
        """The run's last sweep: remove what its trials left, or with --no-cleanup (local
        only) stop it and keep it for inspection."""
        if self.req.no_cleanup:
            release(keep=True, run=run_id)
        else:
            self.executor.cleanup(run_id)

    def _record_ungradable(self, specs: list[TrialSpec], run_dir: RunDir) -> list[TrialSpec]:
        """A grade run records the trials it cannot re-test at once (they stay in the
        denominator, with the reason) and returns the others."""
        todo = []
        for spec in specs:
            result = ungradable_result(spec) if spec.regrade_from is not None else None
            if result is None:
                todo.append(spec)
                continue
            run_dir.write_result(result)
            self.events.on_trial_done(result)
        return todo

    def _run_all(self, specs: list[TrialSpec], run_dir: RunDir) -> None:
        workers = self.executor.capacity(self.req.n_concurrent)
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="trial")
        futures: set[Future[TrialResult | None]] = {
            pool.submit(self._run_one, spec, run_dir) for spec in specs
        }
        try:
            while futures:
                finished, futures = wait(futures, timeout=1.0, return_when=FIRST_COMPLETED)
                for future in finished:
                    future.result()  # a harness bug in the runner itself surfaces here
        except BaseException:
            # Stop promptly: no new trials, running ones see `cancelled` and their containers
            # vanish; none of them writes a result, so a resume runs them again.
            self.cancelled.set()
            for future in futures:
                future.cancel()
            self.executor.stop()
            if specs:
                self._end_containers(specs[0].run_id)
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def _run_one(self, spec: TrialSpec, run_dir: RunDir) -> TrialResult | None:
        """The trial's result, retried while the error policy allows (`result.retryable`);
        None if the run was stopped. Each retry keeps the fault that caused it."""
        self.events.on_trial_start(spec.name)
        causes: list[Fault] = []
        result: TrialResult | None = None
        for retry in range(self.req.max_retries + 1):
            if self.cancelled.is_set():
                return None
            result = self.executor.run_attempt(spec, run_dir, retry, causes,
                                               self.events.on_phase, self.cancelled)
            if result is None or self.cancelled.is_set():
                return None
            if not result.retryable or retry >= self.req.max_retries:
                break
            causes.append(Fault(stage=result.stage_reached,
                                error=result.error or "infrastructure failure",
                                rule=result.failure_rule or "unknown",
                                failure_class=result.failure_class, retryable=True))
            self.events.on_message(f"{spec.name}: {result.failure_class} "
                                   f"({result.failure_rule}), retrying ({retry + 1}/"
                                   f"{self.req.max_retries}): {result.error}")
            if self.cancelled.wait(RETRY_BACKOFF_SEC * 2**retry):
                return None
        if result is not None:
            self.events.on_trial_done(result)
        return result
