"""The executor seam without Docker or Ray: a lost node is a retried infrastructure fault and
the run still ends with one result per planned trial; trial folders travel bounded and land
whole."""

from __future__ import annotations

import io
import tarfile
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from abcbench.agents.nop import NopAgent
from abcbench.policy import FaultFacts, NodeLost, TrialFailed, classify
from abcbench.results.models import AgentInfo, FailureClass, Fault, Stage, TrialResult
from abcbench.results.store import RunDir
from abcbench.run import runner as runner_module
from abcbench.run.executors import transfer
from abcbench.run.executors.attempt import fault_result
from abcbench.run.runner import Runner, RunRequest
from abcbench.tasks.registry import TaskRegistry
from abcbench.trial import PhaseCallback, TrialSpec
from tests.conftest import NATIVE_FIXTURES


def test_a_lost_node_is_infrastructure_and_retried_even_after_the_agent_started() -> None:
    decision = classify(FaultFacts(NodeLost("node died"), Stage.agent, agent_started=True,
                                   sandbox_state="running"))
    assert (decision.rule, decision.failure, decision.retryable, decision.counted) == \
        ("node_lost", FailureClass.infrastructure, True, True)


class NodesThatDieOnce:
    """Every first attempt's node dies; the retry runs on node `n2` and fails its tests."""

    name = "fake"

    def __init__(self) -> None:
        self.attempts: list[tuple[str, int]] = []
        self.cleaned: list[str] = []

    def open(self) -> None: ...
    def close(self) -> None: ...
    def stop(self) -> None: ...
    def capacity(self, requested: int) -> int:
        return 2

    def prepare_images(self, names: Sequence[str]) -> dict[str, str]:
        return {name: f"{name}@sha256:fake" for name in names}

    def engine_version(self) -> str | None:
        return "fake-engine"

    def cleanup(self, run_id: str) -> None:
        self.cleaned.append(run_id)

    def run_attempt(self, spec: TrialSpec, run_dir: RunDir, retry: int,
                    causes: Sequence[Fault], on_phase: PhaseCallback,
                    cancelled: threading.Event) -> TrialResult | None:
        self.attempts.append((spec.name, retry))
        if retry == 0:
            result = fault_result(spec, NodeLost("the node died"), Stage.agent, retry=retry,
                                  causes=causes, node=None)
        else:
            result = fault_result(spec, TrialFailed(FailureClass.tests_failed, "1 of 6 failed"),
                                  Stage.tests, retry=retry, causes=causes, node="n2")
        assert result is not None
        run_dir.write_result(result)
        return result


def test_runner_retries_a_lost_node_and_keeps_one_result_per_trial(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner_module, "RETRY_BACKOFF_SEC", 0.0)
    registry = TaskRegistry.from_dir(NATIVE_FIXTURES)
    nodes = NodesThatDieOnce()
    request = RunRequest(tasks=registry.all(), agent_cls=NopAgent,
                         agent_info=AgentInfo(name="nop"), output_dir=tmp_path,
                         tasks_dir=registry.root, run_id="r", n_attempts=2)
    manifest = Runner(request, executor=nodes).execute()
    results = {r.trial_name: r for r in RunDir(tmp_path / "r").results()}
    assert sorted(results) == sorted(manifest.trials) and len(results) == 4
    for result in results.values():
        assert result.retries == 1 and result.node == "n2"
        assert [c.rule for c in result.retry_causes] == ["node_lost"]
        assert result.failure_class is FailureClass.tests_failed
    assert sorted(nodes.attempts) == sorted((n, r) for n in results for r in (0, 1))
    assert manifest.summary.n_trials == 4 and manifest.summary.n_infrastructure_errors == 0
    assert manifest.provenance.docker_server == "fake-engine"
    assert nodes.cleaned == ["r"]


def trial_folder(root: Path) -> Path:
    trial = root / "t__1"
    (trial / "logs").mkdir(parents=True)
    (trial / "logs" / "build.log").write_text("built\n")
    (trial / "result.json").write_text("{}\n")
    (trial / "submission").mkdir()
    (trial / "submission" / "big.bin").write_bytes(b"x" * 4096)
    (trial / "submission" / "link").symlink_to("big.bin")
    return trial


def test_a_capped_archive_keeps_logs_and_lists_what_it_left(tmp_path: Path) -> None:
    data = transfer.pack(trial_folder(tmp_path / "node"), max_bytes=1024)
    out = tmp_path / "driver" / "t__1"
    transfer.land(data, out)
    assert (out / "logs" / "build.log").read_text() == "built\n"
    assert (out / "result.json").is_file() and not (out / "submission" / "big.bin").exists()
    assert "submission/big.bin" in (out / transfer.SKIPPED_FILE).read_text()


def test_landing_replaces_the_folder_whole_and_leaves_the_result_to_the_caller(
        tmp_path: Path) -> None:
    data = transfer.pack(trial_folder(tmp_path / "node"))
    out = tmp_path / "driver" / "t__1"
    out.mkdir(parents=True)
    (out / "stale.txt").write_text("from an earlier attempt")
    transfer.land(data, out, keep_out="result.json")
    assert sorted(p.name for p in out.iterdir()) == ["logs", "submission"]
    assert (out / "submission" / "link").is_symlink()
    assert (out / "submission" / "big.bin").stat().st_size == 4096
    assert [p.name for p in out.parent.iterdir()] == ["t__1"]  # no staging folder left


def test_unpacking_never_writes_outside_the_folder(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name in ("../escaped.txt", "/abs.txt", "ok.txt"):
            info = tarfile.TarInfo(name)
            info.size = 2
            tar.addfile(info, io.BytesIO(b"hi"))
        link = tarfile.TarInfo("out")
        link.type, link.linkname = tarfile.SYMTYPE, "../.."
        tar.addfile(link)
    dest = tmp_path / "in" / "dest"
    transfer.unpack(buf.getvalue(), dest)
    assert (dest / "ok.txt").read_text() == "hi"
    assert not (tmp_path / "in" / "escaped.txt").exists() and not (dest / "out").exists()


@pytest.mark.parametrize(("args", "expected"), [
    (["--executor", "slurm"], "--executor slurm: choose one of local, ray"),
    (["--ray-address", "10.0.0.1:6379"], "--ray-address needs --executor ray"),
])
def test_executor_flags_are_refused_in_one_line(tmp_path: Path, args: list[str],
                                                expected: str) -> None:
    from typer.testing import CliRunner

    from abcbench.cli.main import app

    result = CliRunner().invoke(app, ["run", "--agent", "nop", "--tasks-dir",
                                      str(NATIVE_FIXTURES), "--output", str(tmp_path / "runs"),
                                      *args])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1 and expected in lines[0], result.output
    assert not (tmp_path / "runs").exists()


def test_the_local_executor_records_this_host_as_the_node(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from typer.testing import CliRunner

    from abcbench.cli.main import app
    from tests.unit.fake_run import fake_engine

    monkeypatch.setenv("ABCBENCH_LOCK_DIR", str(tmp_path / "live"))
    fake_engine(monkeypatch)
    out = CliRunner().invoke(app, ["run", "--agent", "nop", "--tasks-dir", str(NATIVE_FIXTURES),
                                   "--run-id", "r", "--output", str(tmp_path / "runs")])
    assert out.exit_code == 0, out.output
    results = RunDir(tmp_path / "runs" / "r").results()
    assert len(results) == 2 and {r.node for r in results} == {socket.gethostname()}


HEARTBEATS = ("The worker died unexpectedly while executing this task. The node with node id: "
              "8f2e3c and address: 10.0.0.7 and node name: 10.0.0.7 has been marked dead "
              "because the detector has missed too many heartbeats from it. This can happen "
              "when a (1) raylet crashes unexpectedly (OOMKilled) (2) raylet has lagging "
              "heartbeats due to slow network or busy workload.")


@pytest.mark.parametrize("text", [
    HEARTBEATS,
    "one sentence without any full stop that goes on " * 12,
    "Failed to retrieve object 00ff. The ObjectRef was created at: call-site\n\nAll copies "
    "have been lost due to node failure. " * 5,
    "short",
    "",
    "x" * 700,
])
def test_the_node_lost_message_ends_at_a_whole_sentence_or_says_it_was_cut(text: str) -> None:
    from abcbench.run.executors.ray_cluster import LOST_DETAIL_CHARS, node_lost_message

    class WorkerCrashedError(Exception):
        pass

    message = node_lost_message(WorkerCrashedError(text))
    assert message.startswith("the Ray node running the trial was lost (WorkerCrashedError")
    assert message.endswith(")")
    detail = message.removeprefix("the Ray node running the trial was lost (WorkerCrashedError")
    detail = detail.removeprefix(": ").removesuffix(")")
    assert len(detail) <= LOST_DETAIL_CHARS + 1
    flat = " ".join(text.split("\n\n")[0].split())
    if detail == flat:
        return  # whole
    assert detail.endswith((".", "…")), detail
    kept = detail.removesuffix("…")
    assert flat.startswith(kept)
    if detail.endswith("…") and " " in flat[:LOST_DETAIL_CHARS]:
        assert flat[len(kept)] == " ", f"cut mid-word: {detail!r}"
