"""`redact_file` / `redact_tree`: the trial's records on disk lose every secret, streaming,
never following a link, and the agent's work is kept as written."""

from __future__ import annotations

import os
from pathlib import Path

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.images.manager import ImageManager
from abcbench.redact import add_secrets, clear_secrets, redact_file, redact_tree
from abcbench.results.models import AgentInfo
from abcbench.results.store import RunDir
from abcbench.tasks.loader import load_task
from abcbench.trial.base import TrialSpec
from tests.conftest import NATIVE_FIXTURES
from tests.unit.test_redact_trial import AgentOnly

KEY = "sk-files-1Aa2Bb3Cc"


def test_a_long_log_loses_every_secret_and_keeps_the_rest(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    line = "step: pip install https://u:pw-9Xx8Yy@mirror.test/simple ok\n"
    log.write_bytes((line * 40_000 + f"echo {KEY}\n").encode() + b"\xff not utf-8")
    assert redact_file(log, [KEY])
    data = log.read_bytes()
    assert KEY.encode() not in data and b"pw-9Xx8Yy" not in data
    assert data.count(b"u:***@mirror.test") == 40_000
    assert data.endswith(b"echo ***\n\xff not utf-8")


def test_a_secret_in_a_line_longer_than_a_chunk_is_found(tmp_path: Path) -> None:
    log = tmp_path / "one-line.log"
    log.write_text("x" * (3 << 20) + KEY + "y" * 10)
    assert redact_file(log, [KEY])
    assert KEY not in log.read_text() and log.read_text().endswith("***" + "y" * 10)


def test_links_and_fifos_are_never_followed_or_read(tmp_path: Path) -> None:
    outside = tmp_path / "host.txt"
    outside.write_text(f"host {KEY}\n")
    records = tmp_path / "trial"
    (records / "agent").mkdir(parents=True)
    (records / "agent" / "link.log").symlink_to(outside)
    (records / "agent" / "dir-link").symlink_to(tmp_path)
    os.mkfifo(records / "agent" / "fifo")
    (records / "agent" / "own.log").write_text(f"agent {KEY}\n")
    add_secrets([KEY])
    assert redact_tree(records) == ["agent/own.log"]
    assert outside.read_text() == f"host {KEY}\n", "a link's target is not ours to rewrite"
    assert (records / "agent" / "link.log").is_symlink()


def test_the_agents_work_is_kept(tmp_path: Path) -> None:
    for rel in ("submission/leak.txt", "submission.diff", "logs/service.log"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"{KEY}\n")
    changed = redact_tree(tmp_path, [KEY], keep=("submission", "submission.diff"))
    assert changed == ["logs/service.log"]
    assert (tmp_path / "submission" / "leak.txt").read_text() == f"{KEY}\n"
    assert (tmp_path / "submission.diff").read_text() == f"{KEY}\n"
    assert not [p for p in tmp_path.rglob(".*")], "no temporary file left"


class WritesItsCredentials(Agent):
    """Writes its key and the bare password of its base URL into its own log folder."""

    name = "writes-credentials"

    def run(self, ctx: AgentContext) -> AgentResult:
        (ctx.logs_dir / "notes.log").write_text(
            f"key {self.env['MY_KEY']} password {self.kwargs['base_url'][10:21]}\n")
        return AgentResult()


def test_a_trial_redacts_its_folder_with_secrets_nobody_registered(tmp_path: Path) -> None:
    """As on a Ray node: the process never parsed the CLI nor wrote the run's manifest, so
    the trial itself must know the key and the URL credential of its kwargs."""
    password = "pw-Rr5Tt6Yy"
    base_url = f"https://u:{password}@gw.test/v1"
    assert base_url[10:21] == password
    spec = TrialSpec(run_id="r", task=load_task(NATIVE_FIXTURES / "fx-quotes-logic"),
                     attempt=1, agent_cls=WritesItsCredentials,
                     agent_info=AgentInfo(name=WritesItsCredentials.name, env_keys=["MY_KEY"],
                                          kwargs={"base_url": base_url}),
                     agent_env={"MY_KEY": KEY})
    clear_secrets()
    result = AgentOnly(spec, RunDir(tmp_path), ImageManager()).run()
    notes = tmp_path / "trials" / result.trial_name / "agent" / "notes.log"
    assert notes.read_text() == "key *** password ***\n"
