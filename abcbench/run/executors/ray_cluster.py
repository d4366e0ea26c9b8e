"""The Ray executor: each Ray node offering `abcbench_slots` is a Docker host, and each
attempt at a trial is a Ray task needing one slot (docs/ray.md).

The driver (this process) keeps the plan, the retry loop of the error policy and the run
folder. Ray's own task retries are off: a node that dies mid-trial comes back as a `NodeLost`
fault, which the policy makes a retried `infrastructure` failure, so the attempt runs again on
another node. On Ctrl-C every task is cancelled (its worker killed) and each node removes the
run's containers by label. LLM agents' provider keys stay here: the nodes' gateways forward to
this process's relay with a run token (`keys.py`, `abcbench.gateway.relay`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from abcbench import __version__
from abcbench.errors import UserError
from abcbench.policy import NodeLost
from abcbench.results.models import Fault, Stage, TrialResult
from abcbench.results.store import RESULT_FILE, RunDir
from abcbench.run.executors import transfer
from abcbench.run.executors.attempt import fault_result
from abcbench.run.executors.keys import Relays
from abcbench.run.executors.ray_console import cluster_errors_routed
from abcbench.tasks.model import Task
from abcbench.trial import PhaseCallback, TrialSpec

POLL_SEC = 0.5
DRAIN_WAIT_SEC = 10.0
STOP_WAIT_SEC = 30.0
CLEANUP_WAIT_SEC = 120.0
PREPARE_WAIT_SEC = 2 * 3600.0
"""Building a base image and a language image on a fresh node takes minutes; never forever."""


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise UserError("--executor ray needs Ray: pip install 'abcbench[ray]'") from None
    return ray


class _PhaseFeed:
    """Polls the relay actor and hands each (trial, phase) to the trial's callback."""

    def __init__(self, ray: Any, relay: Any) -> None:
        self.ray, self.relay = ray, relay
        self.callbacks: dict[str, PhaseCallback] = {}
        self.last: dict[str, str] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._poll, name="ray-phases", daemon=True)
        self.thread.start()

    def watch(self, trial: str, callback: PhaseCallback) -> None:
        with self.lock:
            self.callbacks[trial] = callback
            self.last.pop(trial, None)

    def phase(self, trial: str) -> str | None:
        """The trial's last phase seen."""
        with self.lock:
            return self.last.get(trial)

    def unwatch(self, trial: str) -> None:
        with self.lock:
            self.callbacks.pop(trial, None)
            self.last.pop(trial, None)

    def _poll(self) -> None:
        while not self.stopped.wait(POLL_SEC):
            try:
                events = self.ray.get(self.relay.drain.remote(), timeout=DRAIN_WAIT_SEC)
            except Exception:  # a lost relay only costs the live view, never a result
                continue
            for trial, phase in events:
                with self.lock:
                    callback = self.callbacks.get(trial)
                    if callback is not None:
                        self.last[trial] = phase
                if callback is not None:
                    callback(trial, phase)

    def close(self) -> None:
        """Wait out a poll in progress, so that `ray.shutdown` never runs under a thread
        still inside `ray.get`."""
        self.stopped.set()
        self.thread.join(timeout=DRAIN_WAIT_SEC + 5)


LOST_DETAIL_CHARS = 300


def _whole_sentences(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a sentence's end, else at a word's end with
    an ellipsis: never mid-word, and a cut always shows."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit + 1]
    end = max(head.rfind(". "), head.rfind("; "))
    if end >= limit // 3:
        return head[:end + 1]
    space = head.rfind(" ", 0, limit)
    return (head[:space] if space > 0 else head[:limit - 1]).rstrip(" ,;:") + "…"


def node_lost_message(err: BaseException) -> str:
    """What the `node_lost` fault says: the Ray error's type and its first paragraph, bounded
    at whole sentences (Ray's texts run to hundreds of characters on one line)."""
    paragraph = str(err).strip().split("\n\n", 1)[0]
    detail = _whole_sentences(paragraph, LOST_DETAIL_CHARS)
    return (f"the Ray node running the trial was lost ({type(err).__name__}"
            f"{': ' + detail if detail else ''})")


class RayExecutor:
    name = "ray"

    def __init__(self, address: str | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.address = address
        self.notify = notify or (lambda _m: None)
        self.ray: Any = None
        self.node: Any = None
        self.slots = 0
        self._feed: _PhaseFeed | None = None
        self._inflight: set[Any] = set()
        self._lock = threading.Lock()
        self._tasks: dict[str, tuple[Any, str]] = {}
        self._version: str | None = None
        self._relays: Relays | None = None
        self._quiet: contextlib.ExitStack | None = None

    # -- connection ------------------------------------------------------------------------

    def open(self) -> None:
        ray = self.ray = _import_ray()
        from abcbench.run.executors import ray_node

        self.node = ray_node
        address = self.address or os.environ.get("RAY_ADDRESS") or "auto"
        main = threading.current_thread() is threading.main_thread()
        on_sigterm = signal.getsignal(signal.SIGTERM) if main else None
        try:
            ray.init(address=address, namespace="abcbench", logging_level=logging.WARNING,
                     log_to_driver=False, ignore_reinit_error=True)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise UserError(f"cannot reach a Ray cluster at {address} ({exc}); start one with "
                            "`ray start --head --resources='{\"abcbench_slots\": 2}'` or pass "
                            "--ray-address HOST:PORT") from None
        finally:  # ray.init makes SIGTERM exit at once; the run stops on it like on Ctrl-C
            if on_sigterm is not None:
                signal.signal(signal.SIGTERM, on_sigterm)
        self.slots = int(ray.cluster_resources().get(ray_node.SLOT, 0))
        if self.slots < 1:
            ray.shutdown()
            raise UserError(f"the Ray cluster at {address} offers no {ray_node.SLOT}: start "
                            f"each Docker host with `ray start --resources="
                            f"'{{\"{ray_node.SLOT}\": N}}'` (docs/ray.md)")
        # Provider keys stay here: the nodes reach the model through this host's relay, on
        # the address Ray uses for the driver (every node reaches it, or Ray fails).
        try:
            self._relays = Relays(ray.util.get_node_ip_address())
        except UserError:
            ray.shutdown()
            raise
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        here = ray.get_runtime_context().get_node_id()
        relay_actor: Any = ray_node.PhaseRelay
        relay = relay_actor.options(  # beside the driver: it outlives worker nodes
            scheduling_strategy=NodeAffinitySchedulingStrategy(here, soft=True)).remote()
        self._feed = _PhaseFeed(ray, relay)
        self._quiet = contextlib.ExitStack()
        self._quiet.enter_context(cluster_errors_routed(self.notify))

    def close(self) -> None:
        if self._relays is not None:
            self._relays.close()
            self._relays = None
        if self._feed is not None:
            self._feed.close()
            self._feed = None
        if self.ray is not None and self.ray.is_initialized():
            self.ray.shutdown()
        if self._quiet is not None:
            self._quiet.close()
            self._quiet = None

    def capacity(self, requested: int) -> int:
        """Every slot of the cluster busy; more when asked (queued in Ray for nodes that join)."""
        return max(requested, self.slots)

    def slot_nodes(self) -> list[str]:
        """The ids of the live nodes that offer slots (the Docker hosts)."""
        return sorted(n["NodeID"] for n in self.ray.nodes()
                      if n.get("Alive") and n.get("Resources", {}).get(self.node.SLOT, 0) > 0)

    def _on_each_node(self, remote: Any, *args: Any, timeout: float) -> list[Any]:
        """`remote(*args)` once on every slot node; the answers of the nodes that answered."""
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        refs = [remote.options(scheduling_strategy=NodeAffinitySchedulingStrategy(
            node, soft=False)).remote(*args) for node in self.slot_nodes()]
        ready, late, deadline = [], refs, time.monotonic() + timeout
        while late and time.monotonic() < deadline:  # short waits: Ctrl-C stays prompt
            done, late = self.ray.wait(late, num_returns=len(late), timeout=POLL_SEC)
            ready += done
        answers = []
        for ref in ready:
            try:
                answers.append(self.ray.get(ref))
            except self.ray.exceptions.RayTaskError as err:
                raise err.as_instanceof_cause() from None
            except self.ray.exceptions.RayError as err:  # the node went away meanwhile
                self.notify(f"a Ray node did not answer: {type(err).__name__}")
        if late:
            self.notify(f"{len(late)} Ray node(s) did not answer within {timeout:.0f}s")
            for ref in late:
                self.ray.cancel(ref, force=True)
        return answers

    # -- the run ---------------------------------------------------------------------------

    def prepare_images(self, names: Sequence[str]) -> dict[str, str]:
        """Every slot node ensures the images; nodes must run this harness version (another
        version has other recipes, so other images, and other trial code)."""
        # A task's own recipe is named by its folder on this host: each node builds it from
        # its copy of the task, when an attempt there first needs it.
        shared = [n for n in names if not n.startswith("task:")]
        answers = self._on_each_node(self.node.images_on_node, shared,
                                     timeout=PREPARE_WAIT_SEC)
        if not answers:
            raise UserError("no Ray node with abcbench_slots could prepare the images")
        answers.sort(key=lambda a: a.node)
        other = [a for a in answers if a.harness_version != __version__]
        if other:
            raise UserError(f"{len(other)} Ray node(s) run abcbench {other[0].harness_version} "
                            f"(first {other[0].node}), the driver {__version__}: install the "
                            "same version on every node (docs/ray.md)")
        first = answers[0]
        self._version = first.docker_server
        differ = sorted({n for a in answers for n in first.images
                         if a.images.get(n) != first.images[n]})
        if differ:
            self.notify(f"the nodes hold different image ids for {', '.join(differ)} (built "
                        "separately; `abcbench images export/import` makes them identical)")
        self.notify(f"images ready on {len(answers)} Ray node(s), {self.slots} slot(s)")
        return dict(first.images)

    def engine_version(self) -> str | None:
        return self._version

    def _task_ref(self, task: Task) -> tuple[Any, str]:
        """The task's files in the object store, put once per run."""
        with self._lock:
            if task.content_hash not in self._tasks:
                archive, rel = self.node.task_archive(task)
                self._tasks[task.content_hash] = (self.ray.put(archive), rel)
            return self._tasks[task.content_hash]

    def run_attempt(self, spec: TrialSpec, run_dir: RunDir, retry: int,
                    causes: Sequence[Fault], on_phase: PhaseCallback,
                    cancelled: threading.Event) -> TrialResult | None:
        assert self._feed is not None and self._relays is not None, "open() first"
        ray = self.ray
        node_spec, route = self._relays.node_spec(spec)
        archive, rel = self._task_ref(spec.task)
        folder = run_dir.trial_dir(spec.name)
        if folder.exists():  # as a local attempt does: a half or retried trial starts over
            shutil.rmtree(folder)
        self._feed.watch(spec.name, on_phase)
        ref = self.node.attempt_on_node.options(resources={self.node.SLOT: 1}).remote(
            node_spec, archive, rel, retry, list(causes), self._feed.relay, route)
        with self._lock:
            self._inflight.add(ref)
        finished = False
        try:
            while not ray.wait([ref], timeout=POLL_SEC)[0]:
                if cancelled.is_set():
                    return None
            finished = True
            outcome = ray.get(ref)
        except ray.exceptions.TaskCancelledError:
            return None
        except ray.exceptions.RayTaskError as err:
            raise err.as_instanceof_cause() from None  # a bug of the harness on the node
        except ray.exceptions.RayError as err:
            if cancelled.is_set():
                return None
            return self._lost(spec, run_dir, err, retry, causes, self._feed.phase(spec.name))
        finally:
            if finished or not cancelled.is_set():
                with self._lock:
                    self._inflight.discard(ref)
            else:  # noticed the stop first: end the task on its node, and leave its ref to
                # `stop`, which waits for it (was: dropped here, so it kept running there)
                with contextlib.suppress(Exception):
                    ray.cancel(ref, force=True)
            self._feed.unwatch(spec.name)
        if cancelled.is_set():
            return None
        result = TrialResult.model_validate_json(outcome.result_json)
        transfer.land(outcome.archive, run_dir.trial_dir(spec.name), keep_out=RESULT_FILE)
        run_dir.write_result(result)
        return result

    def _lost(self, spec: TrialSpec, run_dir: RunDir, err: BaseException, retry: int,
              causes: Sequence[Fault], phase: str | None) -> TrialResult | None:
        """The node (or its worker) died mid-trial: an infrastructure fault, retried."""
        fault = NodeLost(node_lost_message(err))
        stage = Stage(phase) if phase in {s.value for s in Stage} else Stage.setup
        result = fault_result(spec, fault, stage, retry=retry, causes=causes, node=None)
        if result is not None:
            folder = run_dir.trial_dir(spec.name)
            if folder.exists():
                shutil.rmtree(folder)
            run_dir.write_result(result)
        return result

    def stop(self) -> None:
        with self._lock:
            refs = list(self._inflight)
        for ref in refs:
            try:
                self.ray.cancel(ref, force=True)
            except Exception:  # already finished, or its node is gone
                continue
        deadline = time.monotonic() + STOP_WAIT_SEC
        while refs and time.monotonic() < deadline:
            _ready, refs = self.ray.wait(refs, num_returns=len(refs), timeout=POLL_SEC)

    def cleanup(self, run_id: str) -> None:
        try:
            answers = self._on_each_node(self.node.cleanup_on_node, run_id,
                                         timeout=CLEANUP_WAIT_SEC)
        except Exception as exc:  # the cluster itself is gone: say what is left to do
            self.notify(f"could not reach the Ray nodes to clean up ({type(exc).__name__}); "
                        f"run `abcbench cleanup --run {run_id}` on each Docker host")
            return
        for node, removed in answers:
            if any(removed.values()):
                self.notify(f"removed {removed['containers']} container(s), "
                            f"{removed['networks']} network(s) and {removed['trial_images']} "
                            f"trial image(s) of {run_id} on {node}")
